#!/usr/bin/python3
# validate-manifest-schema.py — check the Flatpak manifests against Flathub's JSON schema.
#
#   validate-manifest-schema.py MANIFEST…
#
# The schema is not part of this project (it ships in flatpak-builder-lint). It is read from
# $TTD_FLATPAK_MANIFEST_SCHEMA, which .ci/run points at the copy CI has. Without it, or when
# that file does not exist, the test is skipped (exit 77) and says why: a plain clone passes.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sys

SKIP = 77


def main(manifests):
    schema_path = os.environ.get("TTD_FLATPAK_MANIFEST_SCHEMA", "")
    if not schema_path:
        print("SKIP: TTD_FLATPAK_MANIFEST_SCHEMA is not set; point it at Flathub's "
              "flatpak-manifest.schema.json (from flatpak-builder-lint) to run this check")
        return SKIP
    if not os.path.isfile(schema_path):
        print("SKIP: no Flatpak manifest schema at %s (TTD_FLATPAK_MANIFEST_SCHEMA)" % schema_path)
        return SKIP
    try:
        import jsonschema
    except ImportError:
        print("FAIL: python module jsonschema missing for %s; apt-get install python3-jsonschema"
              % sys.executable)
        return 1

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failed = False
    for path in manifests:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
        for e in errors:
            loc = "/".join(str(p) for p in e.absolute_path) or "(top level)"
            print("%s: %s: %s" % (os.path.basename(path), loc, e.message))
            failed = True
        if not errors:
            print("%s: valid" % os.path.basename(path))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: validate-manifest-schema.py MANIFEST…")
    sys.exit(main(sys.argv[1:]))
