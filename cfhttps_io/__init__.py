"""What the doors read, read once: templates, Terraform modules, CloudFront's API, an account.

Below every door (the audit CLI, the Pulumi pack, the AWS Config rule and the CloudFormation
hook) and above the engine (:mod:`rules`): a door turns its own input shapes into calls here, so
no door borrows another door's modules, and the Lambda package can hold this package whole.

- :mod:`.templates`: YAML (CloudFormation short-form tags) and JSON text → data, with lines,
  alias budgets and specific errors; duplicate keys become ``input`` notes.
- :mod:`.files`: regular files only, bytes → text (BOM, stray bytes) → :mod:`.templates`.
- :mod:`.cloudfront`: boto3's CloudFront client and the reads (boto3 imported lazily).
- :mod:`.account`: one account walk: every distribution modelled with its VPC origins and
  custom response headers policies, the same for ``cfhttps audit --aws`` and the Config rule.
- :mod:`.terraform`: Terraform modules (HCL through :mod:`.hcl_syntax`, tree-sitter-hcl, the
  optional ``terraform`` extra) and :mod:`.terraform_json` (``.tf.json``) → plain data with lines.

Importable with the standard library alone; YAML needs PyYAML (the Lambda package carries its
pure-Python code), CloudFront reads need boto3 (Lambda's runtime provides it).
"""
