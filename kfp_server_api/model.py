"""The shared base of every API model, and the JSON codec that turns models into JSON and back.

A model is a class whose body lists its fields in order, each with its type annotation and a
`field()` giving the 1.8.5 type string and a one-line meaning::

    class ApiParameter(Model):
        '''A named pipeline parameter.'''

        name: str | None = field("str", "Parameter name.")
        value: str | None = field("str", "Parameter value, always as text.")

Everything else is written once, in the private modules this one re-exports, one job each: the
base (``_model_base``: the keyword constructor with fields in declaration order, then
``local_vars_configuration``; ``openapi_types``, ``attribute_map``, ``discriminator``,
``to_dict``/``to_str``/``__repr__``/``__eq__``/``__ne__`` with the semantics of kfp-server-api
1.8.5), the decoders (``_model_decoding``, with the conversions of JSON scalars and `DecodeError`
in ``_model_primitives``) and the encoder (``_model_encoding``).

Decisions worth knowing:

- Field values live in the instance ``__dict__`` under the attribute name, so reading and
  assigning ``run.name`` is a plain attribute access. A decoded model holds only the fields its
  JSON had; the others read as None through the class-level field descriptor. On the class,
  ``ApiRun.name`` gives the field's `FieldInfo`. Fields checked against a pattern (the base64
  fields) use a data descriptor so that assignment is validated as in 1.8.5.
- Building a model has no side effects. A ``local_vars_configuration`` passed to the constructor
  is kept on the instance (as 1.8.5 does) only to read its ``client_side_validation`` flag.
- Decoders are built once per type string and cached. A model decoder is a function generated
  from the model's field list (straight-line code, one block per field), which creates the
  instance without calling ``__init__`` and gives it a copy of the JSON object, converted where
  needed, as its ``__dict__``. Primitive conversions are as lenient as 1.8.5 (a number in a
  string field becomes its text, ``"NaN"`` in a number field becomes a float, a numeric string in
  an integer field becomes an int), but a value of the wrong shape (an array where an object is
  expected, an unparsable date-time, ...) raises `DecodeError` naming the path, e.g.
  ``run.metrics[0].number_value``. Values of pattern-checked fields are checked while decoding
  too, as 1.8.5 did through its setters.
- Unknown JSON keys (fields from a newer server) are not errors. They do not appear in
  ``to_dict()`` and do not affect ``==``, but the instance keeps them and `encode` writes them
  back, so decoding and re-encoding a server object loses nothing. Assigning fields does not
  touch them.
- `encode` follows the value actually stored, not the declared type, so a plain value put into a
  typed field (an RFC 3339 string in a date-time field, an int in a string field) is sent as
  given. ``None`` fields are dropped; empty lists are kept. Date-times are written in RFC 3339
  with an offset: naive ones are taken as UTC, and UTC is written as ``Z``.
"""

from kfp_server_api._model_base import BASE64_PATTERN, EnumModel, FieldInfo, Model, field
from kfp_server_api._model_decoding import decoder_for, resolve_model
from kfp_server_api._model_encoding import encode, encode_known
from kfp_server_api._model_primitives import DecodeError

__all__ = [
    "BASE64_PATTERN",
    "DecodeError",
    "EnumModel",
    "FieldInfo",
    "Model",
    "decoder_for",
    "encode",
    "encode_known",
    "field",
    "resolve_model",
]
