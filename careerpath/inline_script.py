"""The one inline script every page runs, and its hash for the Content-Security-Policy.

GOV.UK Frontend styles some components differently once it knows JavaScript runs, so the body
gets the `js-enabled` class before anything renders. The script is allowed by its SHA-256 hash
rather than a per-response nonce: a response that carries no per-request value can be cached
whole and served to every anonymous visitor (careerpath.public_cache).

Plain Python, no Django: the settings import it to build the policy.
"""

import base64
import hashlib

JS_ENABLED = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)

JS_ENABLED_HASH = (
    "'sha256-" + base64.b64encode(hashlib.sha256(JS_ENABLED.encode()).digest()).decode() + "'"
)
