"""The servers the tests run on 127.0.0.1, each on an ephemeral port, in one place.

- ``loopback.LoopbackServer``: an HTTP(S) server answering a script of replies and recording
  every request; the default server of the with_server tier.
- ``faulty.FaultyServer``: a raw-socket server playing a script of socket actions, for the
  faults an HTTP server cannot produce (resets, truncated or trickling bodies, non-HTTP bytes).
- ``static.StaticServer``: one fixed response on kept-alive connections, counting connections
  and requests; ``static.serve`` runs it in a child process for the call benchmark.
- ``tunnel_proxy.TunnelProxy``: an HTTP proxy that opens CONNECT tunnels.
- ``kfp2_answers``: the answers of a KFP 2.17 API server's v1beta1 API, and ``route`` to make
  a ``LoopbackServer`` answer them by method and path.

Each is a ``background.BackgroundServer``: ``start()``, ``stop()`` (which joins every thread it
started) and a context manager.

The emulator (``kfp_server_api.emulator``) is the server of everything that needs KFP's
behaviour rather than a script. ``closed_port`` (a port nothing listens on) is a fixture of
test/conftest.py.
"""
