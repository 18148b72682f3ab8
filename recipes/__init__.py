"""Local runs of the doors that need a service to call them: the Pulumi policy pack served as the
Pulumi CLI serves it, and the Lambda package's two handlers against loopback stand-ins of AWS
(``make pulumi-local``, ``make lambda-local``; docs/recipes.md). The tests drive the doors with
the same pieces. Not installed with the package: run from a clone."""
