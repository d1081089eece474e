"""The client's transport (private): one small module per policy, under the 1.8.5 ``rest``.

- :mod:`.base`: the seam, ``send(request) -> response``, and the 1.8.5 ``request`` over it;
- :mod:`.request`, :mod:`.response`: the request record and the response, and the one place a
  status becomes an exception;
- :mod:`.urllib3_transport`: one exchange through urllib3;
- :mod:`.pools`: the pool manager and the fast path straight to a pool;
- :mod:`.timeouts`, :mod:`.deadline`: the time limits, and the total one over every read;
- :mod:`.redirects`: which redirects are followed, and with which credentials;
- :mod:`.content`: reading bodies within the size limit, gzip and deflate;
- :mod:`.failures`: the only place where urllib3's errors are caught and translated;
- :mod:`.redaction`, :mod:`.header_values`: credentials kept out of errors and logs, header
  values refused before sending;
- :mod:`.internals`: every reach below urllib3's and CPython's public APIs, with its fallback.

Nothing here is public: ``kfp_server_api.rest`` and ``kfp_server_api.testing`` are.
"""
