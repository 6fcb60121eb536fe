#!/usr/bin/env python3
"""Trim the Bot API spec (shared/telegram-bot-api-spec/botapi.json) to what the fake
Telegram server checks calls against: for each method, its parameters with their
`required` flag and types.

Usage: python3 tests/data/trim_botapi.py [path/to/botapi.json] > tests/data/botapi-methods.json
"""
import json
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/telegram-bot-api-spec/botapi.json"
with open(src, encoding="utf-8") as f:
    spec = json.load(f)

out = {
    "version": spec.get("version"),
    "methods": {
        name: {
            field["name"]: {"required": bool(field.get("required")), "types": field.get("types", [])}
            for field in method.get("fields", [])
        }
        for name, method in sorted(spec["methods"].items())
    },
}
json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
