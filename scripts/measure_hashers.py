"""Time one password hash (what each sign-in costs) for the candidate hashers on this machine.

Run: DEBUG=true .venv/bin/python scripts/measure_hashers.py [samples]
Prints the median and spread of `hasher.encode()` for PBKDF2 at Django's iteration count and
for Argon2id at the costs OWASP's Password Storage Cheat Sheet accepts. docs/security.md
records the figures and the choice.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")
os.environ.setdefault("DEBUG", "true")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django

django.setup()

from django.contrib.auth.hashers import (  # noqa: E402
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
)


def argon2(memory_kib, time_cost, parallelism):
    hasher = Argon2PasswordHasher()
    hasher.memory_cost = memory_kib
    hasher.time_cost = time_cost
    hasher.parallelism = parallelism
    return f"Argon2id m={memory_kib // 1024} MiB t={time_cost} p={parallelism}", hasher


class OwaspPbkdf2(PBKDF2PasswordHasher):
    iterations = 600_000


CANDIDATES = [
    (f"PBKDF2-SHA256 {PBKDF2PasswordHasher.iterations:,} iterations", PBKDF2PasswordHasher()),
    (
        "PBKDF2-SHA256 600,000 iterations (OWASP minimum)",
        type("P", (PBKDF2PasswordHasher,), {"iterations": 600_000})(),
    ),
    argon2(102_400, 2, 8),  # Django's defaults
    argon2(47_104, 1, 1),  # OWASP option 1
    argon2(19_456, 2, 1),  # OWASP option 2
]


def main():
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    for name, hasher in CANDIDATES:
        salt = hasher.salt()
        hasher.encode("warm-up-password", salt)
        times = []
        for _ in range(samples):
            start = time.perf_counter()
            hasher.encode("a-long-test-password-123", salt)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{name}: median {statistics.median(times):.0f} ms, "
            f"min {min(times):.0f}, max {max(times):.0f} ({samples} samples)"
        )


if __name__ == "__main__":
    main()
