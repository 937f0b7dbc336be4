"""The command line imports and builds only what the command given needs."""
from __future__ import annotations

import argparse
import subprocess
import sys

from companion.cli import main as cli


def test_the_app_itself_needs_no_command_module_and_a_command_only_its_own():
    assert cli.needed_features([]) == ()
    assert cli.needed_features(["--data-dir", "DIR", "--open", "home"]) == ()
    assert cli.needed_features(["--data-dir", "worksheets", "backup", "--out", "x"]) == ("safety",)
    assert cli.needed_features(["worksheets", "list", "--data-dir", "DIR"]) == ("book",)
    assert cli.needed_features(["--help"]) == cli.FEATURES
    assert cli.needed_features(["no-such-command"]) == cli.FEATURES
    assert cli.needed_features(["--data-dir"]) == cli.FEATURES  # the full parser tells what is missing


def test_every_command_is_known_with_the_module_that_adds_it():
    for name, module in cli.COMMANDS.items():
        parser, handlers = cli.build_parser((module,))
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert name in commands.choices, (name, module)
    parser, _ = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(cli.COMMANDS)


def test_starting_the_app_imports_no_command_module():
    code = ("import sys; from companion.cli import main; main.build_parser(main.needed_features([]));"
            "print(sorted(m for m in sys.modules if m.startswith('companion.cli.') and m not in "
            "('companion.cli.main', 'companion.cli.common', 'companion.cli.window', 'companion.cli.language')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
