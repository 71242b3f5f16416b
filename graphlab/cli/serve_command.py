"""``graphlab serve``: the terminal explorer as a web page, through textual-serve.

Every browser tab that opens the page gets its own ``graphlab tui`` process,
driven over a websocket; the explorer's save sends the file to the browser as a
download instead of writing it on the server.
"""

from __future__ import annotations

import argparse
import shlex
import socket
import sys

from graphlab.cli import UserError, add_command
from graphlab.cli.completion_command import exercises_and_files
from graphlab.cli.options import add_input_options, add_rounding_options


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "serve", help="serve the explorer as a web page (needs graphlab[web])",
        description="Serve the terminal explorer as a web page: open the printed address in a browser.\n"
                    "The source is what `graphlab tui` opens: the lecture's exercise by default, another\n"
                    "exercise, a trace .json or a formula with --at values. Needs `pip install graphlab[web]`.",
        example="graphlab serve variant-2 --port 8000")
    parser.add_argument("source", nargs="?",
                        help="exercise id or file, trace .json, or a formula").completer = exercises_and_files
    add_input_options(parser)
    add_rounding_options(parser)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 for a network)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    parser.add_argument("--public-url", metavar="URL",
                        help="the address browsers reach the server at, when it differs from http://HOST:PORT "
                             "(behind a proxy, or a classroom machine's name with --host 0.0.0.0)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UserError("serving the explorer needs textual-serve: pip install 'graphlab[web]'") from None
    if not 0 <= args.port <= 65535:
        raise UserError(f"--port {args.port}: expected a port number from 0 to 65535")
    _check_source(args)
    port = _free_port(args.host, args.port)
    url = (args.public_url or f"http://{_reachable_name(args.host)}:{port}").rstrip("/")
    command = shlex.join([sys.executable, "-m", "graphlab", "tui", *tui_arguments(args)])
    print(f"graphlab serve: the explorer is at {url} (Ctrl+C stops it)", flush=True)
    Server(command, host=args.host, port=port, title="graphlab", public_url=url).serve()
    return 0


def tui_arguments(args: argparse.Namespace) -> list[str]:
    """The ``graphlab tui`` arguments that open what ``serve`` was asked to serve."""
    words = [args.source] if args.source is not None else []
    for value in args.at:
        words += ["--at", value]
    if args.decimals is not None:
        words += ["--round", str(args.decimals)]
    if args.exact:
        words.append("--exact")
    if args.convention:
        words += ["--convention", args.convention]
    if args.ties:
        words += ["--ties", args.ties]
    return words


def _check_source(args: argparse.Namespace) -> None:
    """Refuse here what the explorer could not open, rather than in every browser tab."""
    from graphlab.cli.options import inputs_from_args, refuse_mistyped_exercise  # lazy: loaded when the command runs
    from graphlab.cli.tui_command import tensor_trace_of  # lazy: loaded when the command runs
    from graphlab.tui.problem import SourceError, open_source  # lazy: loaded when the command runs

    at = inputs_from_args(args)
    if tensor_trace_of(args, at) is not None:
        return
    refuse_mistyped_exercise(args.source, at)
    try:
        open_source(args.source, at)
    except SourceError as err:
        raise UserError(str(err)) from None


def _reachable_name(host: str) -> str:
    """The host name a browser uses: the address itself, or this machine's name for every address."""
    if host in ("0.0.0.0", "::", ""):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def _free_port(host: str, port: int) -> int:
    """``port``, or for 0 one the system says is free; an address in use is a clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            raise UserError(f"--host {host} --port {port}: cannot listen there ({err.strerror})") from None
        return probe.getsockname()[1]
