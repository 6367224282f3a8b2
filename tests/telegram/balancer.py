"""A round-robin HTTP load balancer for tests: Telegram's webhook POSTs spread over bot replicas."""

from __future__ import annotations

import itertools
import logging
from collections import Counter

from aiohttp import ClientError, ClientSession, ClientTimeout, web

logger = logging.getLogger(__name__)


class Balancer:
    """Forwards each request to the next replica; one that refuses the connection is skipped."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.served: Counter[str] = Counter()
        self._turn = itertools.count()
        self._session: ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> Balancer:
        self._session = ClientSession(timeout=ClientTimeout(total=60))
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = site._server.sockets[0].getsockname()[:2]  # type: ignore[union-attr]
        self.url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
        if self._session:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        start = next(self._turn)
        for step in range(len(self.backends)):
            backend = self.backends[(start + step) % len(self.backends)]
            try:
                async with self._session.request(request.method, backend + request.path_qs,
                                                 data=body, headers=headers) as answer:
                    self.served[backend] += 1
                    return web.Response(status=answer.status, body=await answer.read())
            except ClientError as error:  # a dead replica: like a proxy, try the next one
                logger.info("backend %s failed (%s)", backend, error)
        return web.Response(status=502, text="no replica answered")
