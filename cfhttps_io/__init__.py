"""What the doors read, once: templates, Terraform modules and plans, CloudFront API reads."""
