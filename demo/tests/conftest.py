# The supervision demo is seeded onto the supervision tests' own campaign.
from supervision.tests.conftest import NOW, clock, setting  # noqa: F401
