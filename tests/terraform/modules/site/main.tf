locals {
  site_origin = "site-${var.environment}"
  api_policy  = var.environment == "prod" ? "https-only" : "allow-all"
}

resource "aws_s3_bucket" "site" {
  bucket = "example-site-${var.environment}"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_cloudfront_response_headers_policy" "hsts" {
  name = "hsts"
  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      override                   = true
    }
  }
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true

  # The website endpoint speaks HTTP only: https-only here is CFH002.
  origin {
    domain_name = aws_s3_bucket_website_configuration.site.website_endpoint
    origin_id   = local.site_origin
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    domain_name = var.api_host
    origin_id   = "api"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1", "TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id           = local.site_origin
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    response_headers_policy_id = aws_cloudfront_response_headers_policy.hsts.id
  }

  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "api"
    viewer_protocol_policy = local.api_policy
    allowed_methods        = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods         = ["GET", "HEAD"]
  }

  dynamic "ordered_cache_behavior" {
    for_each = var.static_paths
    content {
      path_pattern           = ordered_cache_behavior.value
      target_origin_id       = local.site_origin
      viewer_protocol_policy = "allow-all"
      allowed_methods        = ["GET", "HEAD"]
      cached_methods         = ["GET", "HEAD"]
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/site"
    ssl_support_method  = "sni-only"
  }
}

module "edge" {
  source      = "../cdn"
  regions     = { eu = "eu.example.com", us = "us.example.com" }
  viewer_mode = "https-only"
}

module "shared" {
  source  = "terraform-aws-modules/cloudfront/aws"
  version = "~> 3.0"
}
