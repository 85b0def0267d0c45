from tadamun.core.tests.conftest import demo, module_demo  # noqa: F401 - the demo site
