"""Who may see and change which tracker records.

Model-level rights come from Django permissions on the role groups (coordinators: add, change
and view; state officers: view only). On top, every record belongs to a centre: coordinators
reach only their own centres' records, state officers every centre, anyone else none."""

from operator import attrgetter

from wagtail.permission_policies import ModelPermissionPolicy

from .roles import COORDINATORS, STATE_OFFICERS


def has_role(user, group_name):
    if not user.is_authenticated or not user.is_active:
        return False
    cache = user.__dict__.setdefault("_sakhi_roles", None)
    if cache is None:
        cache = user.__dict__["_sakhi_roles"] = set(user.groups.values_list("name", flat=True))
    return group_name in cache


def is_state_officer(user):
    return has_role(user, STATE_OFFICERS)


def is_coordinator(user):
    return has_role(user, COORDINATORS)


def sees_every_centre(user):
    return user.is_active and (user.is_superuser or is_state_officer(user))


def centres_visible_to(user):
    """A queryset of the centres whose records this user may read."""
    from .models import Centre

    if not user.is_authenticated or not user.is_active:
        return Centre.objects.none()
    if sees_every_centre(user):
        return Centre.objects.all()
    if is_coordinator(user):
        return Centre.objects.filter(coordinators=user)
    return Centre.objects.none()


def centres_changeable_by(user):
    """A queryset of the centres whose records this user may change (never a state officer's)."""
    from .models import Centre

    if not user.is_authenticated or not user.is_active:
        return Centre.objects.none()
    if user.is_superuser:
        return Centre.objects.all()
    if is_coordinator(user):
        return Centre.objects.filter(coordinators=user)
    return Centre.objects.none()


def user_can_change_centre(user, centre_id):
    return centres_changeable_by(user).filter(pk=centre_id).exists()


class CentreScopedPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, narrowed to the centres the user works for."""

    def __init__(self, model, centre_field):
        super().__init__(model)
        self.centre_field = centre_field  # e.g. "cohort__centre" for an enrolment
        self.centre_id_of = attrgetter(centre_field.replace("__", ".") + "_id")

    def scoped(self, user, actions):
        reading = set(actions) <= {"view"}
        if reading and sees_every_centre(user):
            return {}  # no join to centres needed: state-wide lists stay fast
        centres = centres_visible_to(user) if reading else centres_changeable_by(user)
        return {f"{self.centre_field}__in": centres}

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        allowed = [action for action in actions if self.user_has_permission(user, action)]
        if not allowed:
            return False
        return any(
            self.instances_user_has_any_permission_for(user, [a]).filter(pk=instance.pk).exists()
            for a in allowed
        )

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [action for action in actions if self.user_has_permission(user, action)]
        if not allowed:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(**self.scoped(user, allowed))


class CentrePermissionPolicy(ModelPermissionPolicy):
    """Centres themselves: coordinators see theirs; only superusers add or change them."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_any_permission_for(user, [action]).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        from .models import Centre

        allowed = [action for action in actions if self.user_has_permission(user, action)]
        if not allowed:
            return Centre.objects.none()
        return centres_visible_to(user) if set(allowed) <= {"view"} else centres_changeable_by(user)


class CentreScopedByQuerysetPolicy(CentreScopedPermissionPolicy):
    """For records whose centre is found through a queryset method (e.g. for_centres())."""

    def __init__(self, model, scope_method="for_centres"):
        ModelPermissionPolicy.__init__(self, model)
        self.scope_method = scope_method

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [action for action in actions if self.user_has_permission(user, action)]
        if not allowed:
            return self.model._default_manager.none()
        reading = set(allowed) <= {"view"}
        if reading and sees_every_centre(user):
            return self.model._default_manager.all()
        centres = centres_visible_to(user) if reading else centres_changeable_by(user)
        return getattr(self.model._default_manager, self.scope_method)(centres)


class CertificatePermissionPolicy(CentreScopedPermissionPolicy):
    """Certificates are issued by the issuing service and never deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)
