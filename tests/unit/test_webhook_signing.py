"""Outgoing webhooks are signed the Standard Webhooks way: the spec's own test vector."""

from booking_webhooks import signing

# From the Standard Webhooks reference libraries' tests (standard-webhooks/standard-webhooks).
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'


def test_the_signature_matches_the_standards_test_vector():
    assert signing.signature(SECRET, MESSAGE_ID, TIMESTAMP, BODY) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_receiver_verifies_it_and_refuses_a_changed_body():
    headers = signing.headers(SECRET, MESSAGE_ID, TIMESTAMP, BODY)
    assert signing.verify(SECRET, headers, BODY)
    assert not signing.verify(SECRET, headers, BODY.replace(b"2", b"3"))
    assert not signing.verify(signing.new_secret(), headers, BODY)


def test_new_secrets_are_random_and_prefixed():
    first, second = signing.new_secret(), signing.new_secret()
    assert first.startswith("whsec_") and first != second
