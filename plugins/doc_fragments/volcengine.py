# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every volcengine.cloud module (see plugins/module_utils/module_support.py)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  access_key:
    description:
      - Volcengine access key ID used to sign the requests.
      - If not set, the value of the E(VOLCENGINE_ACCESS_KEY) environment variable is used.
      - The module fails before sending any request when neither is set, or when the value holds anything but
        printable ASCII characters without spaces (a trailing line break, a pasted typographic quote); the message
        names the option, never the value. The same check applies to O(secret_key) and O(session_token).
    type: str
  secret_key:
    description:
      - Volcengine secret access key that belongs to O(access_key).
      - If not set, the value of the E(VOLCENGINE_SECRET_KEY) environment variable is used.
      - It is never logged, returned or shown in error messages.
    type: str
  session_token:
    description:
      - Security token of temporary (STS) credentials; sent as the C(X-Security-Token) header.
      - If not set, the value of the E(VOLCENGINE_SESSION_TOKEN) environment variable is used.
      - Leave unset for permanent access keys.
    type: str
  region:
    description:
      - Volcengine region the requests are signed for.
      - A region the API does not serve the requests in fails their signature; when the API's answer shows that
        (a credential scope with another region), the error says to set this option rather than to check O(secret_key).
      - If not set, the value of the E(VOLCENGINE_REGION) environment variable is used, then V(cn-north-1).
    type: str
    default: cn-north-1
  endpoint:
    description:
      - Base URL of the Volcengine OpenAPI, with scheme and optionally a port, for example V(https://live.volcengineapi.com)
        or V(http://127.0.0.1:8080) for a local test endpoint.
      - If not set, the value of the E(VOLCENGINE_ENDPOINT) environment variable is used, then V(https://live.volcengineapi.com).
      - A value without a scheme is taken as C(https). For a plain-HTTP endpoint such as a local emulator, write
        C(http://); an C(https) endpoint that answers in plain HTTP fails with C(EndpointNotTLS).
      - The module warns when the endpoint uses plain C(http) to a host other than this machine (C(localhost),
        C(127.0.0.0/8) or C(::1)).
      - An endpoint with a user name or password (C(http://user:password@host)) fails before any request, with a
        message and a result that never show them; credentials go in O(access_key) and O(secret_key).
    type: str
    default: https://live.volcengineapi.com
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate.
      - Set to V(false) only for a trusted test endpoint; prefer O(ca_bundle) for a private CA.
      - The module warns when this is V(false) for an C(https) endpoint other than this machine (C(localhost),
        C(127.0.0.0/8) or C(::1)).
    type: bool
    default: true
  ca_bundle:
    description:
      - Path to a PEM file of CA certificates used to verify the endpoint's TLS certificate instead of the system's.
      - This is the only way to change the CA store; the E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE) environment
        variables are ignored.
      - Ignored when O(validate_certs=false).
    type: path
  timeout:
    description:
      - Seconds one attempt may take in all, from connecting to the last byte of the answer; an endpoint that
        sends its answer slowly (even one byte at a time) cannot hold an attempt longer.
      - An attempt that runs out of time is retried like a connection error (see O(max_retries)).
      - From V(0.1) to V(3600); any other value (including C(inf) and C(nan)) fails before any request.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after throttling (HTTP 429 or a throttling error code), a transient
        server error (HTTP 500, 502, 503, 504), a connection error or a timeout.
      - Retries wait with jittered exponential backoff (0.5 seconds doubling, capped at 20 seconds) or for the
        server's C(Retry-After) (at most 60 seconds).
      - The unclassified error C(CommonErr) is retried at most twice. Other client errors, and HTTP 429 with code
        C(RequestLimitExceeded.Exist) (which means that the resource already exists), are never retried.
      - Redirects (HTTP 3xx) are never followed and never retried, and answers larger than 10 MB are refused.
      - One call takes at most (O(max_retries) + 1) x O(timeout) + O(max_retries) x 60 seconds, plus the waits of the
        client-side rate limiter (see O(rate_limit)); with the defaults, 5 x 30 + 4 x 60 = 390 seconds. Without
        C(Retry-After) the waits between attempts add up to at most 7.5 seconds for the default 4 retries.
      - V(0) disables retries.
      - From V(0) to V(20); any other value fails before any request.
    type: int
    default: 4
  rate_limit:
    description:
      - Client-side limit in requests per second, shared by the forks of one controller that use the same access key
        (for example all forks of a play), so parallel runs stay under the API's limit of 10 requests per second per
        account instead of being throttled.
      - At most O(rate_limit) requests (rounded down, at least 1) go out in any one-second window, the window made 3%
        longer as a margin for network jitter; a request goes at once whenever the window has room, so forks that
        pause between requests lose no capacity.
      - Requests that find the window full wait for their turn in the order they asked, however long that is (many
        forks at a low O(rate_limit) may queue minutes of requests); no request jumps the queue.
      - The limit is shared through a small lock file in C(volcengine-cloud-<uid>) under the temporary directory
        (E(TMPDIR)), named after a hash of the access key. It coordinates the processes of one user on one host only;
        other controllers (AWX jobs, each with its own C(/tmp), other execution nodes, CI runners) each keep their
        own limit, so when several run at once against one account set O(rate_limit) to 10 divided by their number
        (see the user guide).
      - That directory must be owned by the user and writable by nobody else; one that group or others may only read
        is tightened to mode 0700. When it is refused or cannot be used (owned by another user, a symbolic link,
        writable by others, not writable, no file locks) each process keeps the limit on its own and the module
        warns, once, saying why and what to do; the task goes on.
      - If not set, the value of the E(VOLCENGINE_RATE_LIMIT) environment variable is used, then V(10).
      - V(0) disables the limiter; otherwise from V(0.1) to V(1000). Any other value (including C(inf), C(nan) or, in
        E(VOLCENGINE_RATE_LIMIT), text that is not a number) fails before any request; when it came from
        E(VOLCENGINE_RATE_LIMIT), the message names the variable and quotes its value.
    type: float
    default: 10
requirements:
  - requests
notes:
  - Credentials, region and endpoint can be set once for every module of the collection with
    C(module_defaults) and the C(group/volcengine.cloud.volcengine) action group.
  - An environment variable set to an empty or blank value counts as not set.
  - Requests are signed with Volcengine's HMAC-SHA256 (V4) signature; the controller's clock must be accurate
    (an C(InvalidTimestamp) error means that it is not).
  - Proxies are taken from the standard E(HTTPS_PROXY), E(HTTP_PROXY), E(ALL_PROXY) and E(NO_PROXY) environment
    variables. Nothing else is taken from the environment for the connection; in particular no credentials from
    C(~/.netrc) or E(NETRC) (they would replace the request's signature) and no CA bundle from E(REQUESTS_CA_BUNDLE)
    or E(CURL_CA_BUNDLE) (use O(ca_bundle)).
  - On failure the module returns C(error) (the API's C(code) and C(message)), C(request_id) and C(http_status);
    quote the RequestId to Volcengine support.
seealso:
  - name: Error reference
    description: Every error code the modules report, what it means and what to do about it.
    link: https://volcengine-ansible.github.io/volcengine.cloud/docsite/errors.html
'''
