"""Settings for benchmark runs: the production settings plus two bare views to measure the
ceiling against (bench/urls.py)."""

from tadamun.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
