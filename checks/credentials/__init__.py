"""The credential library: everything `checks.verify` and `checks.authorize` do, as plain functions.

    inputs     where the values come from (environment, dotenv file, hidden prompt)
    shape      offline checks of what a value looks like
    secrets    masking and redaction: the one place that decides what a secret looks like in output
    client     the LinkedIn HTTP client and its exception tree
    oauth      the loopback authorization-code flow
    diagnose   the checks themselves: inputs in, a Report out
    problems   the catalogue of problems, each with its fix and docs anchor
    render     a Report as the human checklist or as JSON
    store      writing a token back into a dotenv file without losing anything
    service    the interface the commands call: verify_credentials(), authorize()
"""
