import pytest

from tests.mail import smtp_server


@pytest.fixture
def mail(settings):
    """Alerts on, sending to a real SMTP server on 127.0.0.1 (aiosmtpd): yields its inbox."""
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "trials@example.org"
        settings.ALERTS_BY_EMAIL = True
        settings.SITE_URL = "http://testserver"
        yield inbox
