"""Local runs of the doors that need a service to call them: the Pulumi policy pack served as the
Pulumi CLI serves it, and the Lambda package's two handlers against loopback stand-ins of AWS
(``make pulumi-local``, ``make lambda-local``; docs/recipes.md). The tests drive the doors with
the same pieces. Not installed with the package: run from a clone."""


def run_recipe(name: str, extra: str, call) -> int:
    """A recipe's exit code: 0 when ``call()`` ran; 2, with one line naming the cause, when an
    extra is missing or the run failed (both recipes answer a user the same way)."""
    import sys
    try:
        call()
    except ModuleNotFoundError as exc:
        print(f"{name}: {exc.name} is not installed: pip install -e '.[{extra}]' "
              f"(make {name} does it)", file=sys.stderr)
        return 2
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    return 0
