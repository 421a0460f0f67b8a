from tests.fixtures.mail import mail_sink  # noqa: F401 (a fixture)
