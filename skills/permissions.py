"""Who may see and change which tracker records.

Model-level rights come from Django permissions on the role groups (skills.roles). On top, every
record belongs to a centre, and which centres a user reaches is one rule on the querysets:
Model.objects.for_user(user, action) (skills.models). The permission policy here only calls it;
it holds no field paths of its own."""

from wagtail.permission_policies import ModelPermissionPolicy

from .models import Centre


def centres_changeable_by(user):
    """A queryset of the centres whose records this user may change (never a state officer's)."""
    return Centre.objects.for_user(user, "change")


class ForUserPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, narrowed by the model's own scoping rule:
    Model.objects.for_user(user, actions)."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.instances_user_has_any_permission_for(user, [action]).filter(pk=instance.pk).exists()
            for action in actions
            if self.user_has_permission(user, action)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [action for action in actions if self.user_has_permission(user, action)]
        if not allowed:
            return self.model._default_manager.none()
        return self.model._default_manager.for_user(user, allowed)


class CertificatePermissionPolicy(ForUserPermissionPolicy):
    """Certificates are issued by the issuing service and never deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)
