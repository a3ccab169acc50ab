"""The password hasher, chosen by measurement (docs/security.md, scripts/measure_hashers.py).

Argon2id at one of the costs OWASP's Password Storage Cheat Sheet accepts (19 MiB of memory,
2 passes, 1 lane): about 0.12 s a hash on this service's 2-core machine, against about 0.6 s
for Django's PBKDF2 (1,000,000 iterations), so a burst of wrong passwords costs a fifth of the
CPU while resisting GPU guessing better. Hashes made before stay valid and are rewritten with
this hasher at the next sign-in (Django does that for any hasher listed after the first).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's, so its hashes and ours verify alike; only the cost differs.
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
