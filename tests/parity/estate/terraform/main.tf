# Project fixture (written for this repository): tests/parity/estate/cloudformation.yaml as a
# Terraform module (AWS provider v5/v6 schema).

locals {
  get = ["GET", "HEAD"]
  all = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
}

resource "aws_cloudfront_distribution" "order" {
  enabled = true

  origin {
    origin_id   = "site"
    domain_name = "site.s3-website-us-east-1.amazonaws.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "match-viewer"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    origin_id   = "api"
    domain_name = "api.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1", "TLSv1.2"]
    }
  }

  ordered_cache_behavior {
    path_pattern           = "*.php"
    target_origin_id       = "api"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  ordered_cache_behavior {
    path_pattern           = "admin/*"
    target_origin_id       = "api"
    viewer_protocol_policy = "https-only"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "nowhere"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = local.all
    cached_methods         = local.get
  }

  ordered_cache_behavior {
    path_pattern           = "api/*"
    target_origin_id       = "api"
    viewer_protocol_policy = "https-only"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

resource "aws_s3_bucket" "site" {
  bucket = "parity-site"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_cloudfront_distribution" "website" {
  enabled = true

  origin {
    origin_id   = "site"
    domain_name = aws_s3_bucket_website_configuration.site.website_endpoint
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/website"
    ssl_support_method  = "sni-only"
  }
}

resource "aws_s3_bucket" "private" {
  bucket = "parity-private"
}

resource "aws_cloudfront_origin_access_control" "private" {
  name                              = "private"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_origin_access_identity" "legacy" {
  comment = "legacy"
}

resource "aws_cloudfront_distribution" "assets" {
  enabled = true

  origin {
    origin_id                = "private"
    domain_name              = aws_s3_bucket.private.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.private.id
  }

  origin {
    origin_id   = "public"
    domain_name = "public-assets.s3.us-east-1.amazonaws.com"
    s3_origin_config {
      origin_access_identity = ""
    }
  }

  origin {
    origin_id   = "legacy"
    domain_name = "legacy-logs.s3.amazonaws.com"
    s3_origin_config {
      origin_access_identity = aws_cloudfront_origin_access_identity.legacy.cloudfront_access_identity_path
    }
  }

  origin_group {
    origin_id = "failover"
    failover_criteria {
      status_codes = [503]
    }
    member {
      origin_id = "private"
    }
    member {
      origin_id = "legacy"
    }
  }

  ordered_cache_behavior {
    path_pattern           = "/logs/*"
    target_origin_id       = "legacy"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  ordered_cache_behavior {
    path_pattern           = "/public/*"
    target_origin_id       = "public"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  default_cache_behavior {
    target_origin_id       = "failover"
    viewer_protocol_policy = "https-only"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:111122223333:certificate/assets"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

resource "aws_cloudfront_distribution" "clean" {
  enabled = true

  origin {
    origin_id   = "app"
    domain_name = "app.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "app"
    viewer_protocol_policy = "https-only"
    allowed_methods        = local.all
    cached_methods         = local.get
  }

  ordered_cache_behavior {
    path_pattern           = "/static/*"
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = local.get
    cached_methods         = local.get
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:111122223333:certificate/clean"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
