import factory

from accounts.models import User

PASSWORD = "correct-horse-battery-9"


class RepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"rep{n}@example.com")
    first_name = "Rep"
    last_name = factory.Sequence(lambda n: f"Number{n}")
    time_zone = "America/New_York"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# Tests log reps in through real forms; they read the password from the factory.
RepFactory.PASSWORD = PASSWORD
