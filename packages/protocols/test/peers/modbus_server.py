"""Modbus TCP server peer for Yulian integration tests, built on Debian's pymodbus 3.0.

Run it with /usr/bin/python3 (the Debian interpreter that has pymodbus installed):

    /usr/bin/python3 modbus_server.py --host 127.0.0.1 --port 0 [--delay-ms 500] [--stop-on-stdin-eof]

Once listening it prints exactly one line, ``READY <port>``, to stdout; everything else
goes to stderr. SIGTERM or SIGINT closes the listener and every client connection and
exits with status 0; so does the end of stdin with --stop-on-stdin-eof, which the test
harness passes so that a peer never outlives a test process that was killed.

Data model, identical in shape for units 1 and 2 (both contexts use ``zero_mode=True``,
so protocol address 0 is element 0 of each block, and each block holds SIZE entries):

    unit 1  holding   h[i]  = i & 0xFFFF for 5000..9999, 0 for 0..4999 (free for writes)
            input     ir[i] = (i * 7) & 0xFFFF
            coils     c[i]  = i % 3 == 0
            discrete  d[i]  = i % 2 == 0
    unit 2  holding   h[i]  = (i + 0x8000) & 0xFFFF for 5000..9999, 0 for 0..4999
            input     ir[i] = (0xFFFF - i) & 0xFFFF
            coils     c[i]  = i % 3 != 0
            discrete  d[i]  = i % 2 == 1

pymodbus 3.0 behaviour the tests rely on:
- Any request whose range is not inside a block (address + count > SIZE) is answered with
  exception 2, illegal data address (``context.validate`` fails in each request's
  ``execute``). A read count outside the function's limit (FC3/FC4: 1..125, FC1/FC2:
  1..2000) is answered with exception 3, illegal data value, before the address check.
- A request for any other unit id is dropped by the socket framer (``_validate_unit_id``)
  without any answer, so the client sees a timeout, not exception 0x0B.
"""

import argparse
import asyncio
import logging
import os
import signal
import sys
import threading

from pymodbus.datastore import (
    ModbusSequentialDataBlock,
    ModbusServerContext,
    ModbusSlaveContext,
)
from pymodbus.server.async_io import ModbusConnectedRequestHandler, ModbusTcpServer

SIZE = 10_000
"""Entries per block: enough for a 3,000-register device, small enough to start fast."""

FREE_HOLDING = 5_000
"""Holding registers below this address start at zero so tests can write there."""


def unit_one():
    """Return the data set of unit 1."""
    return ModbusSlaveContext(
        hr=_block(lambda i: i & 0xFFFF if i >= FREE_HOLDING else 0),
        ir=_block(lambda i: (i * 7) & 0xFFFF),
        co=_block(lambda i: i % 3 == 0),
        di=_block(lambda i: i % 2 == 0),
        zero_mode=True,
    )


def unit_two():
    """Return the data set of unit 2, different at every seeded address from unit 1."""
    return ModbusSlaveContext(
        hr=_block(lambda i: (i + 0x8000) & 0xFFFF if i >= FREE_HOLDING else 0),
        ir=_block(lambda i: (0xFFFF - i) & 0xFFFF),
        co=_block(lambda i: i % 3 != 0),
        di=_block(lambda i: i % 2 == 1),
        zero_mode=True,
    )


def _block(value_at):
    # Starting the block at 0 together with zero_mode=True makes protocol address N
    # element N; pymodbus' default (zero_mode=False) would shift every address by one.
    return ModbusSequentialDataBlock(0, [value_at(i) for i in range(SIZE)])


def handler_with_delay(delay_s):
    """Return a request handler class that sends every response delay_s seconds late."""

    class DelayedResponseHandler(ModbusConnectedRequestHandler):
        # The request is executed at once (a write takes effect on arrival); only the
        # answer waits, on the event loop, so other connections are not blocked.
        def send(self, message, *addr, **kwargs):
            loop = asyncio.get_running_loop()
            loop.call_later(delay_s, self._send_if_open, message, addr, kwargs)

        def _send_if_open(self, message, addr, kwargs):
            if self.transport is not None and not self.transport.is_closing():
                super().send(message, *addr, **kwargs)

    return DelayedResponseHandler


class _DropCancelledHandlerNoise(logging.Filter):
    # pymodbus logs every normal client disconnect as an ERROR ("Handler for stream ...
    # has been canceled"); hiding it keeps stderr useful when a test reports it.
    def filter(self, record):
        return "has been canceled" not in record.getMessage()


def _stop_on_stdin_eof(loop, stop):
    # os.read on the descriptor, not sys.stdin: at exit Python waits up to a second for the
    # lock of a buffered stdin that a daemon thread is blocked in.
    def wait_for_eof():
        while os.read(sys.stdin.fileno(), 4096):
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_eof, name="stdin-eof", daemon=True).start()


async def serve(host, port, delay_ms, stop_on_stdin_eof):
    """Listen on host:port (0 = any free port), print READY <port>, serve until a signal."""
    context = ModbusServerContext(slaves={1: unit_one(), 2: unit_two()}, single=False)
    handler = handler_with_delay(delay_ms / 1000) if delay_ms > 0 else None
    # SO_REUSEADDR (pymodbus defaults it off) lets a test restart a peer on the port of one
    # it stopped, even while that peer's old connections are in TIME_WAIT.
    server = ModbusTcpServer(
        context, address=(host, port), handler=handler, allow_reuse_address=True
    )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if stop_on_stdin_eof:
        _stop_on_stdin_eof(loop, stop)

    serving = asyncio.create_task(server.serve_forever())
    # serve_forever resolves server.serving once loop.create_server has bound the socket;
    # if binding fails, the task fails first and its exception is raised here.
    await asyncio.wait({serving, server.serving}, return_when=asyncio.FIRST_COMPLETED)
    if serving.done():
        serving.result()
        raise RuntimeError("the Modbus server stopped before it started listening")

    bound_port = server.server.sockets[0].getsockname()[1]
    print(f"READY {bound_port}", flush=True)

    await stop.wait()
    for connection in list(server.active_connections.values()):
        connection.transport.close()
    # Let connection_lost run for the closed transports before pymodbus aborts what is left.
    await asyncio.sleep(0)
    await server.server_close()
    serving.cancel()
    try:
        await serving
    except asyncio.CancelledError:
        pass


def main():
    """Parse the command line and run the server."""
    parser = argparse.ArgumentParser(description="Modbus TCP test peer (pymodbus 3.0)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind, e.g. 127.0.0.1 or ::1")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free port")
    parser.add_argument("--delay-ms", type=int, default=0, help="delay every response by N ms")
    parser.add_argument(
        "--stop-on-stdin-eof", action="store_true", help="exit when stdin closes (parent gone)"
    )
    args = parser.parse_args()
    if args.delay_ms < 0:
        parser.error("--delay-ms must be 0 or more")

    # force: importing pymodbus.constants already ran basicConfig with its own format.
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(_DropCancelledHandlerNoise())

    asyncio.run(serve(args.host, args.port, args.delay_ms, args.stop_on_stdin_eof))


if __name__ == "__main__":
    main()
