"""The Pulumi CrossGuard door: policies built from the catalogue, thin over the shared engine."""
