"""The catalogue on AWS's own engines: an AWS Config custom Lambda rule (``config_rule``) and a
CloudFormation Lambda hook (``cfn_hook``).

Thin like the other doors: they turn AWS's event shapes into the engine's inputs and its
findings into AWS's answer shapes. Importable with the standard library plus boto3 (which the
Lambda runtime provides); no cfn-lint, pulumi or PyYAML needed.
"""
