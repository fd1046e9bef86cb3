from axes.backends import AxesStandaloneBackend


class AxesBackendForTests(AxesStandaloneBackend):
    """django-axes needs the request to count failures. The test client's login() (used by
    Wagtail's test helpers) authenticates without one: pass those on to the model backend.
    Logins through real requests, as in the lockout tests, are counted as in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
