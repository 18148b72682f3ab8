# A Terraform module with problems `terraform validate` and `terraform plan` accept.
# `cfhttps audit examples/bad/terraform` (or a sweep of examples/) finds them.

variable "api_host" {
  type    = string
  default = "api.example.com"
}

resource "aws_s3_bucket" "assets" {
  bucket = "example-assets"
}

resource "aws_cloudfront_distribution" "shop" {
  enabled = true

  # A private bucket's REST endpoint, but no origin access control: the bucket must be
  # public for CloudFront to read it (CFH012).
  origin {
    origin_id   = "assets"
    domain_name = aws_s3_bucket.assets.bucket_regional_domain_name
    s3_origin_config {
      origin_access_identity = ""
    }
  }

  origin {
    origin_id   = "api"
    domain_name = var.api_host
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  # redirect-to-https does not redirect a POST: it fails, or its body already crossed in
  # plaintext (CFH004). https-only is the setting for an API that accepts writes.
  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods         = ["GET", "HEAD"]
  }

  # A typo: no origin is called "image" (CFH008).
  ordered_cache_behavior {
    path_pattern           = "/images/*"
    target_origin_id       = "image"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  default_cache_behavior {
    target_origin_id       = "assets"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  # No minimum_protocol_version: the provider's default is TLSv1 (CFH009).
  viewer_certificate {
    acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/shop"
    ssl_support_method  = "sni-only"
  }
}
