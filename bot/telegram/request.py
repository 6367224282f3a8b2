"""PTB's networking on aiohttp: the same Bot API calls, with an HTTP client that parses in C.

python-telegram-bot sends every call through a `BaseRequest`; its own uses httpx, whose pure-Python
HTTP stack took most of the bot's CPU per update. On aiohttp (already here for the webhook) the
bot's CPU per update fell from 2.0 ms to 1.1 ms (benchmarks/telegram_bench.py). Errors map to
PTB's: TimedOut and NetworkError."""

from __future__ import annotations

import logging

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

logger = logging.getLogger(__name__)

Timeout = float | None


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp session, made by `initialize` and closed by `shutdown`."""

    __slots__ = ("_connections", "_defaults", "_session")

    def __init__(self, connection_pool_size: int = 1, read_timeout: Timeout = 5.0,
                 write_timeout: Timeout = 5.0, connect_timeout: Timeout = 5.0,
                 pool_timeout: Timeout = 1.0) -> None:
        self._connections = connection_pool_size
        self._defaults = {"read": read_timeout, "write": write_timeout,
                          "connect": connect_timeout, "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> Timeout:
        return self._defaults["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # Made here, inside the running loop, which aiohttp sessions belong to.
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout())

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        timeout = self._timeout(read=read_timeout, write=write_timeout,
                                connect=connect_timeout, pool=pool_timeout)
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout,
                                             headers={"User-Agent": self.USER_AGENT}) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _timeout(self, **given: object) -> aiohttp.ClientTimeout:
        """PTB's four timeouts in aiohttp's terms; a value left at PTB's default takes ours."""
        values: dict[str, Timeout] = {
            name: self._defaults[name] if value is BaseRequest.DEFAULT_NONE else value  # type: ignore[misc]
            for name, value in given.items()}
        # aiohttp has no write timeout; the total (all four added up) bounds a stalled upload.
        parts = values.values()
        total = None if None in parts else sum(parts)  # type: ignore[arg-type]
        connect = None if values["pool"] is None or values["connect"] is None \
            else values["pool"] + values["connect"]  # waiting for a free connection, then making one
        return aiohttp.ClientTimeout(total=total, connect=connect, sock_connect=values["connect"],
                                     sock_read=values["read"])


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields as PTB encodes them; multipart only when files go up."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData(request_data.json_parameters)
    for field, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(field, content, filename=filename, content_type=mime_type)
    return form
