"""HTTP client for The Odds API v4: its calls, bounded retries, and a ledger hook per attempt.

Every attempt, failed or not, is reported through `on_call` because every attempt may cost
credits: the monthly budget is only trustworthy if the ledger sees all of them. The API key
travels in the query string (the provider's only option), so it is kept out of every endpoint,
message and log line this module produces.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from pickvs.domain.clock import ensure_utc
from pickvs.odds.records import MalformedResponse

logger = logging.getLogger(__name__)

OUT_OF_USAGE_CREDITS = "OUT_OF_USAGE_CREDITS"
EXCEEDED_FREQ_LIMIT = "EXCEEDED_FREQ_LIMIT"
# Codes of our own for failures that carry no provider code, so the ledger can group them.
MALFORMED = "MALFORMED"
TIMEOUT = "TIMEOUT"
TRANSPORT = "TRANSPORT"

_NOT_RETRIED_ON_429 = frozenset(
    {OUT_OF_USAGE_CREDITS, "INVALID_KEY", "MISSING_KEY", "DEACTIVATED_KEY"}
)
_ERROR_CODE_RE = re.compile(r"[A-Z0-9_]{1,64}")
_KEY_RE = re.compile(r"[a-z0-9_]{1,64}")
_API_KEY_PARAM_RE = re.compile(r"(apiKey=)[^&\s\"']*")
_MESSAGE_LIMIT = 300
_MIN_KEY_TO_MASK = 6
SCORES_DAYS_FROM = range(1, 4)


class ProviderError(Exception):
    """The provider (or the network to it) failed the call; `message` is safe to log and show."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_code: str | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_code = error_code
        self.retryable = retryable

    def __str__(self) -> str:
        context = ", ".join(
            part for part in (_status_text(self.status_code), self.error_code) if part
        )
        return f"{self.message} ({context})" if context else self.message


class QuotaExhausted(ProviderError):
    """The month's credits are gone: no call can succeed until the provider's period resets."""


@dataclass(frozen=True)
class CallResult:
    """One attempt as the quota ledger records it."""

    endpoint: str
    attempt: int
    outcome: str
    status_code: int | None
    credits_last: int | None
    credits_used: int | None
    credits_remaining: int | None
    duration_ms: int
    error_code: str | None = None
    message: str | None = None


class OddsApiClient:
    """The provider calls PickVs makes; the decoded JSON goes to `pickvs.odds.parse`."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
        on_call: Callable[[CallResult], None] | None = None,
        max_attempts: int = 3,
        backoff_seconds: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._base_url = _clean_base_url(base_url)
        self._api_key = api_key
        self._timeout = timeout
        self._on_call = on_call
        self._max_attempts = max_attempts
        self._backoff_seconds = backoff_seconds
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "pickvs"},
        )

    # -------------------------------------------------------------------------------- calls

    def get_odds(
        self,
        sport: str,
        markets: Sequence[str],
        regions: Sequence[str],
        bookmakers: Sequence[str] | None = None,
        commence_from: datetime | None = None,
        commence_to: datetime | None = None,
    ) -> object:
        """Upcoming and in-play games with lines; costs markets x regions credits (0 if empty).

        `commence_from`/`commence_to` narrow it to games tipping in that window; the cost is
        the same unless the narrower list comes back empty.
        """
        params = {
            "markets": _joined_keys("markets", markets),
            "oddsFormat": "american",
            "dateFormat": "iso",
            **_commence_window(commence_from, commence_to),
        }
        if bookmakers:
            params["bookmakers"] = _joined_keys("bookmakers", bookmakers)
        else:
            params["regions"] = _joined_keys("regions", regions)
        return self._get(f"/v4/sports/{_sport_key(sport)}/odds", params)

    def get_events(
        self,
        sport: str,
        commence_from: datetime | None = None,
        commence_to: datetime | None = None,
    ) -> object:
        """The schedule: upcoming and in-play events, no lines and no scores. Free of credits,
        so the jobs can learn whether a paid call would bring anything before making it."""
        params = {"dateFormat": "iso", **_commence_window(commence_from, commence_to)}
        return self._get(f"/v4/sports/{_sport_key(sport)}/events", params)

    def get_scores(self, sport: str, days_from: int | None) -> object:
        """Live and upcoming games, plus finished ones `days_from` back; 2 credits with it, else 1.

        A bad `days_from` is refused here: the provider would answer 422, a bug not worth a call.
        """
        params = {"dateFormat": "iso"}
        if days_from is not None:
            if type(days_from) is not int or days_from not in SCORES_DAYS_FROM:
                raise ValueError(f"days_from must be 1, 2 or 3, not {days_from!r}")
            params["daysFrom"] = str(days_from)
        return self._get(f"/v4/sports/{_sport_key(sport)}/scores", params)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -------------------------------------------------------------------------------- plumbing

    def _get(self, path: str, params: dict[str, str]) -> object:
        retrying = Retrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=wait_exponential(multiplier=self._backoff_seconds, max=self._backoff_seconds * 8),
            retry=retry_if_exception(_is_retryable),
            sleep=self._sleep,
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                return self._attempt(path, params, attempt.retry_state.attempt_number)
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    def _attempt(self, path: str, params: dict[str, str], attempt: int) -> object:
        started = time.monotonic()
        try:
            response = self._http.get(
                self._base_url + path, params={"apiKey": self._api_key, **params}
            )
        except httpx.RequestError as exc:
            error = self._request_error(exc)
            self._report(path, attempt, started, None, error)
            raise error from None  # the httpx exception holds the URL, and with it the key
        if response.is_success:
            return self._payload(path, attempt, started, response)
        error = self._response_error(response)
        self._report(path, attempt, started, response, error)
        raise error

    def _payload(self, path: str, attempt: int, started: float, response: httpx.Response) -> object:
        try:
            payload = _decode_list(response.content)
        except MalformedResponse as exc:
            error = ProviderError(str(exc), status_code=response.status_code, error_code=MALFORMED)
            self._report(path, attempt, started, response, error)
            raise
        self._report(path, attempt, started, response, None)
        return payload

    def _request_error(self, exc: httpx.RequestError) -> ProviderError:
        if isinstance(exc, httpx.TimeoutException):
            message = f"no answer within {self._timeout:g} s ({type(exc).__name__})"
            return ProviderError(message, error_code=TIMEOUT, retryable=True)
        detail = self._redact(f"{type(exc).__name__}: {exc}")
        # Transport errors (refused, reset, cut short) are transient; others are our own bugs.
        retryable = isinstance(exc, httpx.TransportError)
        return ProviderError(detail, error_code=TRANSPORT, retryable=retryable)

    def _response_error(self, response: httpx.Response) -> ProviderError:
        message, code = _error_body(response)
        message = self._redact(message)
        status = response.status_code
        if code == OUT_OF_USAGE_CREDITS:
            return QuotaExhausted(message, status_code=status, error_code=code, retryable=False)
        return ProviderError(
            message, status_code=status, error_code=code, retryable=_retryable(status, code)
        )

    def _report(
        self,
        path: str,
        attempt: int,
        started: float,
        response: httpx.Response | None,
        error: ProviderError | None,
    ) -> None:
        headers = response.headers if response is not None else {}
        result = CallResult(
            endpoint=path,
            attempt=attempt,
            outcome="error" if error else "ok",
            status_code=response.status_code if response is not None else None,
            credits_last=_header_int(headers, "x-requests-last"),
            credits_used=_header_int(headers, "x-requests-used"),
            credits_remaining=_header_int(headers, "x-requests-remaining"),
            duration_ms=int((time.monotonic() - started) * 1000),
            error_code=error.error_code if error else None,
            message=error.message if error else None,
        )
        if error:
            logger.warning("odds api %s attempt %d failed: %s", path, attempt, error)
        if self._on_call is not None:
            self._on_call(result)

    def _redact(self, text: str) -> str:
        """Mask the key wherever it shows; too short a key would mask ordinary words instead."""
        text = _API_KEY_PARAM_RE.sub(r"\1***", text)
        if len(self._api_key) >= _MIN_KEY_TO_MASK:
            text = text.replace(self._api_key, "***")
        return text


# ------------------------------------------------------------------------------------ helpers


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, ProviderError) and exc.retryable


def _retryable(status: int, code: str | None) -> bool:
    """5xx always; 429 unless its code says retrying cannot help (a key or quota problem)."""
    if status >= 500:
        return True
    return status == 429 and code not in _NOT_RETRIED_ON_429


def _error_body(response: httpx.Response) -> tuple[str, str | None]:
    """The provider's `message` and `error_code`; bodies may be HTML from a proxy, or empty."""
    fallback = f"{_status_text(response.status_code)} {response.reason_phrase}".strip()
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return f"{fallback} (no JSON error body)", None
    if not isinstance(body, Mapping):
        return f"{fallback} (unexpected error body)", None
    message, code = body.get("message"), body.get("error_code")
    if not isinstance(code, str) or not _ERROR_CODE_RE.fullmatch(code):
        code = None
    if not isinstance(message, str) or not message.strip():
        message = fallback
    return message.strip()[:_MESSAGE_LIMIT], code


def _decode_list(content: bytes) -> object:
    """A success body must be a complete JSON list; anything else is unusable as a whole."""
    try:
        payload = json.loads(content, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise MalformedResponse(f"response body is not valid JSON ({len(content)} bytes)") from exc
    if not isinstance(payload, list):
        raise MalformedResponse(f"expected a JSON list, got {type(payload).__name__}")
    return payload


def _reject_constant(name: str) -> object:
    """NaN and Infinity are not JSON; Python's decoder would otherwise let them through."""
    raise ValueError(f"non-standard JSON constant {name}")


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    """Quota headers are optional and have been seen as `12.0`: read them leniently."""
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    if value < 0 or not value.is_integer():  # NaN and infinities are not integers either
        return None
    return int(value)


def _status_text(status: int | None) -> str:
    return f"HTTP {status}" if status is not None else ""


def _clean_base_url(base_url: str) -> str:
    cleaned = base_url.strip().rstrip("/")
    url = httpx.URL(cleaned)
    if url.scheme not in ("http", "https") or not url.host or url.query:
        raise ValueError(f"base URL must be http(s)://host, got {cleaned!r}")
    return cleaned


def _sport_key(sport: str) -> str:
    """Checked because it becomes part of the URL path."""
    if not _KEY_RE.fullmatch(sport):
        raise ValueError(f"not a sport key: {sport!r}")
    return sport


def _commence_window(start: datetime | None, end: datetime | None) -> dict[str, str]:
    """The provider takes `YYYY-MM-DDTHH:MM:SSZ` exactly: no offset, no fraction of a second."""
    if start is not None and end is not None and end <= start:
        raise ValueError(f"commence window is empty: {start.isoformat()} to {end.isoformat()}")
    params = {}
    if start is not None:
        params["commenceTimeFrom"] = _provider_instant(start)
    if end is not None:
        params["commenceTimeTo"] = _provider_instant(end)
    return params


def _provider_instant(moment: datetime) -> str:
    return ensure_utc(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _joined_keys(what: str, keys: Sequence[str]) -> str:
    if isinstance(keys, str):
        keys = [part.strip() for part in keys.split(",")]
    if not keys or not all(_KEY_RE.fullmatch(key) for key in keys):
        raise ValueError(f"{what} must be a non-empty list of keys, got {list(keys)!r}")
    return ",".join(keys)


class _RedactApiKeyFilter(logging.Filter):
    """httpx logs every request URL at INFO, query string and key included: mask the key."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(arg) for arg in record.args)
        return True


def _redact_arg(arg: object) -> object:
    if isinstance(arg, httpx.URL | str) and "apiKey=" in str(arg):
        return _API_KEY_PARAM_RE.sub(r"\1***", str(arg))
    return arg


def _install_log_filter() -> None:
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactApiKeyFilter) for f in httpx_logger.filters):
        httpx_logger.addFilter(_RedactApiKeyFilter())


_install_log_filter()
