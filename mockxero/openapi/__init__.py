"""The contract builder: writes ``contracts/accounting.yaml`` from Xero's spec, the catalogue and the mock.

Run it as ``python3 -m mockxero.openapi.build`` (see ``contracts/README.md``). A tool for maintainers: the
emulator never imports it, it serves the committed file. Its parts, in the order the output is made:

* ``catalogue``: what is emulated, in our words (operations, parameters, examples, links, errors);
* ``schema``: Xero's structure copied through a whitelist of keywords, so none of Xero's prose is copied;
* ``components``: each Xero component paired with the marshmallow schema the mock reads or writes it with;
* ``builder``: the operations with their parameters, bodies, answers and errors;
* ``build``: the writer (YAML output, the ``--check`` mode, where Xero's spec is read from).
"""
