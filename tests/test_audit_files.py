"""The audit against what a real (or hostile) file system and template send it: special files,
outputs that would overwrite inputs, failed writes, hostile YAML and template text that tries to
drive the terminal. Real files, FIFOs, sockets and subprocesses throughout; no mocks."""

import json
import os
import resource
import shutil
import socket
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the cfhttps command in subprocesses

BAD_TEMPLATE = os.path.join(ROOT, "examples", "bad", "website-and-order.yaml")


def run(*args, cwd=ROOT, timeout=60, preexec_fn=None):
    """The CLI as a user runs it; a timeout turns a hang into a failure, never a stuck suite."""
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": ROOT}, preexec_fn=preexec_fn)
    return proc.returncode, proc.stdout, proc.stderr


def bad_copy(folder, name="t.yaml"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copy(BAD_TEMPLATE, path)
    return path


# ------------------------------------------------------------------ 2. a sweep never blocks

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_sweep_skips_fifo_socket_and_device(tmp_path):
    d = tmp_path / "d"
    bad_copy(d)
    os.mkfifo(d / "p.yaml")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(d / "s.yaml"))
    os.symlink("/dev/zero", d / "zero.yaml")  # a device, through a link: never read
    try:
        rc, out, err = run("audit", str(d), "--format", "json")
    finally:
        sock.close()
    assert rc == 1, err  # the template's findings; nothing blocked, nothing an error
    doc = json.loads(out)
    reasons = {os.path.basename(s["file"]): s["reason"] for s in doc["skipped"]}
    assert "FIFO" in reasons["p.yaml"] and "socket" in reasons["s.yaml"]
    assert "character device" in reasons["zero.yaml"]
    assert doc["errors"] == [] and doc["findings"]
    rc, out, _ = run("audit", str(d), "--verbose")
    assert "p.yaml: skipped: not a regular file (a FIFO (named pipe))" in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_explicitly_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    rc, out, err = run("audit", str(fifo), "--format", "json")
    doc = json.loads(out)
    assert rc == 2 and "not a regular file" in doc["errors"][0]["message"], err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_reader_refuses_a_fifo_that_replaced_the_file_after_stat(tmp_path):
    """The race: the check before open passed, then the file became a FIFO. open(O_NONBLOCK)
    returns at once and fstat on the descriptor refuses it; a blocking open would hang."""
    path = tmp_path / "t.yaml"
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    code = f"""
import os, sys
from cfhttps_io import files as loader
real_stat = os.stat
def stat_then_swap(p, *a, **k):  # the file is regular when looked at, a FIFO when opened
    st = real_stat({str(path)!r} if p == {str(fifo)!r} else p, *a, **k)
    return st
os.stat = stat_then_swap
try:
    loader.read_regular({str(fifo)!r})
except loader.NotRegularFile as exc:
    print("refused:", exc)
"""
    path.write_text("Resources: {}\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.startswith("refused: not a regular file (a FIFO"), proc.stderr


# ------------------------------------------------------------ 3. no input is ever destroyed

@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_output_over_the_audited_template_is_refused(tmp_path, option):
    t = bad_copy(tmp_path)
    before = t.read_bytes()
    rc, out, err = run("audit", str(t), option, str(t))
    assert rc == 2 and "refusing to overwrite" in err, (out, err)
    assert t.read_bytes() == before and out == ""
    assert sorted(os.listdir(tmp_path)) == ["t.yaml"]  # no temporary file left either


def test_links_to_an_input_are_refused(tmp_path):
    d = tmp_path / "d"
    t = bad_copy(d)
    before = t.read_bytes()
    os.link(t, tmp_path / "hard.yaml")
    os.symlink(t, tmp_path / "soft.json")
    for name in ("hard.yaml", "soft.json"):
        rc, _, err = run("audit", str(d), "--output", str(tmp_path / name))
        assert rc == 2 and "refusing to overwrite" in err, err
    assert t.read_bytes() == before


def test_output_inside_a_swept_folder_is_refused(tmp_path):
    d = tmp_path / "d"
    t = bad_copy(d)
    before = t.read_bytes()
    for target in (d / "t.yaml", d / "report.json", d / "sub" / "x.yml"):
        target.parent.mkdir(exist_ok=True)
        rc, _, err = run("audit", str(d), "--format", "json", "--output", str(target))
        assert rc == 2 and ("would be read as an input" in err or "refusing" in err), err
    assert t.read_bytes() == before and not (d / "report.json").exists()
    # a name the sweep would not read, or a hidden folder it passes over, is fine
    ok = [d / "report.sarif", d / ".reports" / "r.json"]
    (d / ".reports").mkdir()
    for target in ok:
        rc, _, err = run("audit", str(d), "--format", "json", "--output", str(target))
        assert rc == 1 and json.loads(target.read_text())["summary"]["inputs"] == 1, err


def test_output_over_config_or_baseline_is_refused(tmp_path):
    t = bad_copy(tmp_path / "d")
    cfg = tmp_path / "c.toml"
    cfg.write_text('minimum_protocol_version = "TLSv1"\n')
    rc, _, err = run("audit", str(t), "--config", str(cfg), "--output", str(cfg))
    assert rc == 2 and "--config" in err and cfg.read_text().startswith("minimum")
    base = tmp_path / "b.json"
    assert run("audit", str(t), "--write-baseline", str(base))[0] == 0  # adopting never fails
    kept = base.read_bytes()
    rc, _, err = run("audit", str(t), "--baseline", str(base), "--output", str(base),
                     "--format", "json")
    assert rc == 2 and "--baseline" in err and base.read_bytes() == kept
    rc, _, err = run("audit", str(t), "--output", str(tmp_path / "r"), "--write-baseline",
                     str(tmp_path / "r"))
    assert rc == 2 and "same file" in err


def test_failed_baseline_write_leaves_the_report_untouched(tmp_path):
    t = bad_copy(tmp_path / "d")
    report = tmp_path / "report.txt"
    report.write_text("yesterday's report\n")
    rc, _, err = run("audit", str(t), "--output", str(report),
                     "--write-baseline", str(tmp_path / "missing" / "b.json"))
    assert rc == 2 and "does not exist" in err
    assert report.read_text() == "yesterday's report\n"


def _limit_file_size():
    """Files this process writes may not exceed 4 KiB: the text report (~2.7 KiB) fits, the JSON baseline (~6 KiB) not."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_write_failing_midway_damages_nothing(tmp_path):
    t = bad_copy(tmp_path / "d")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    report = out_dir / "report.txt"
    base = out_dir / "b.json"
    report.write_text("yesterday's report\n")
    base.write_text('{"old": "baseline"}\n')
    rc, out, err = run("audit", str(t), "--format", "text", "--output", str(report),
                       "--write-baseline", str(base), preexec_fn=_limit_file_size)
    assert rc == 2 and "cannot write --write-baseline" in err and "Traceback" not in err, err
    assert report.read_text() == "yesterday's report\n"  # not truncated, not half-replaced
    assert base.read_text() == '{"old": "baseline"}\n'
    assert sorted(os.listdir(out_dir)) == ["b.json", "report.txt"]  # temporary files removed


def test_reports_are_complete_and_replace_the_old_file(tmp_path):
    t = bad_copy(tmp_path / "d")
    report = tmp_path / "r.json"
    report.write_text("old")
    os.chmod(report, 0o640)
    rc, _, _ = run("audit", str(t), "--format", "json", "--output", str(report))
    assert rc == 1 and json.loads(report.read_text())["summary"]["findings"] > 0
    assert os.stat(report).st_mode & 0o777 == 0o640


# ------------------------------------------------------------------ 4. portable baselines

def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.parametrize("in_repo", [True, False], ids=["git-repo", "plain-folder"])
def test_baseline_does_not_depend_on_path_spelling_or_cwd(tmp_path, in_repo):
    proj = tmp_path / "proj"
    bad_copy(proj / "examples" / "bad", "website-and-order.yaml")
    if in_repo:
        if shutil.which("git") is None:
            pytest.skip("git is not installed")
        _git("init", "-q", cwd=proj)
    base = tmp_path / "b.json"
    rc, _, err = run("audit", "examples/bad", "--write-baseline", str(base), cwd=proj)
    assert rc == 0, err
    written = json.loads(base.read_text())
    assert written["fingerprint_version"] == 2 and written["findings"]
    other = tmp_path / "elsewhere"
    other.mkdir()
    spellings = [("./examples/bad/", proj), (str(proj / "examples" / "bad"), proj),
                 (os.path.join("..", "proj", "examples", "bad"), other),
                 (str(proj / "examples" / "bad"), other)]
    for spelling, cwd in spellings:
        rc, out, err = run("audit", spelling, "--baseline", str(base), "--format", "json", cwd=cwd)
        doc = json.loads(out)
        assert rc == 0 and doc["findings"] == [], (spelling, cwd, err)
        assert doc["summary"]["baselined"] == len(written["findings"])


def test_baseline_ignores_condition_label_and_message_wording(tmp_path):
    """A new, unrelated condition changes how a finding's condition is labelled, not what the
    baseline hides. (Here the deciding Fn::Equals is not a condition of its own, so the label
    names the parameter: "parameter Env = 'legacy'" while it is the only Fn::Equals on Env,
    "Fn::Equals [Ref Env, 'legacy'] is true" once another condition tests Env.)"""
    t = tmp_path / "t.yaml"
    template = """Parameters:
  Env: {Type: String}
Conditions:
  Legacy: !And [!Equals [!Ref Env, legacy], !Equals [!Ref Env, legacy]]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: s3, DomainName: b.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior: {TargetOriginId: s3, ViewerProtocolPolicy: !If [Legacy, allow-all, https-only]}
        ViewerCertificate: {AcmCertificateArn: arn, MinimumProtocolVersion: TLSv1.2_2021, SslSupportMethod: sni-only}
"""
    t.write_text(template)
    base = tmp_path / "b.json"
    assert run("audit", str(t), "--write-baseline", str(base))[0] == 0
    before = {f["code"]: f["condition"] for f in json.loads(base.read_text())["findings"]}
    t.write_text(template.replace("Conditions:\n", "Conditions:\n  Staging: !Equals [!Ref Env, staging]\n"))
    rc, out, _ = run("audit", str(t), "--format", "json")
    after = {f["code"]: f["condition"] for f in json.loads(out)["findings"]}
    assert set(after) == set(before) and after["CFH001"] != before["CFH001"]  # the label moved
    rc, out, _ = run("audit", str(t), "--baseline", str(base), "--format", "json")
    assert rc == 0 and json.loads(out)["findings"] == []


def test_a_new_finding_is_not_absorbed_by_the_baseline(tmp_path):
    """checkov's baseline hides new findings of a known resource (its issue 7647); ours does
    not: another property, another resource or another rule is a new finding."""
    t = bad_copy(tmp_path)
    base = tmp_path / "b.json"
    run("audit", str(t), "--write-baseline", str(base))
    text = t.read_text()
    assert "ViewerProtocolPolicy: redirect-to-https" in text
    t.write_text(text.replace("ViewerProtocolPolicy: redirect-to-https", "ViewerProtocolPolicy: allow-all", 1))
    rc, out, _ = run("audit", str(t), "--baseline", str(base), "--format", "json")
    doc = json.loads(out)
    assert rc == 1 and {f["code"] for f in doc["findings"]} >= {"CFH001"}


def test_rewriting_a_baseline_over_itself_keeps_every_finding(tmp_path):
    t = bad_copy(tmp_path / "d")
    base = tmp_path / "b.json"
    run("audit", str(t), "--write-baseline", str(base))
    first = json.loads(base.read_text())
    rc, out, err = run("audit", str(t), "--baseline", str(base), "--write-baseline", str(base),
                       "--format", "json")
    assert rc == 0 and json.loads(out)["findings"] == [], err
    second = json.loads(base.read_text())
    assert [f["fingerprint"] for f in second["findings"]] == [f["fingerprint"] for f in first["findings"]]
    assert second["summary"]["findings"] == len(second["findings"]) and second["summary"]["baselined"] == 0
    rc, out, _ = run("audit", str(t), "--baseline", str(base), "--format", "json")
    assert rc == 0 and json.loads(out)["findings"] == []  # the third run still hides them all


def test_baseline_hides_as_many_findings_as_it_recorded(tmp_path):
    t = bad_copy(tmp_path / "d")
    base = tmp_path / "b.json"
    run("audit", str(t), "--write-baseline", str(base))
    doc = json.loads(base.read_text())
    dropped = doc["findings"].pop()
    base.write_text(json.dumps(doc))
    rc, out, _ = run("audit", str(t), "--baseline", str(base), "--format", "json")
    shown = json.loads(out)["findings"]
    assert [f["fingerprint"] for f in shown] == [dropped["fingerprint"]]


def test_old_format_baseline_is_read_with_a_message(tmp_path):
    t = bad_copy(tmp_path / "d")
    base = tmp_path / "b.json"
    run("audit", "d", "--write-baseline", str(base), cwd=tmp_path)
    doc = json.loads(base.read_text())
    del doc["fingerprint_version"]
    for f in doc["findings"]:
        f["fingerprint"] = "0" * 32  # version 1 hashed the path as typed: unusable
    base.write_text(json.dumps(doc))
    rc, out, err = run("audit", "d", "--baseline", str(base), "--format", "json", cwd=tmp_path)
    assert rc == 0 and json.loads(out)["findings"] == [], err
    assert "older cfhttps" in err and "--write-baseline" in err
    base.write_text(json.dumps({"version": 1, "fingerprint_version": 9, "findings": []}))
    rc, _, err = run("audit", str(t), "--baseline", str(base))
    assert rc == 2 and "fingerprint version 9" in err


# ------------------------------------------------------------------ 6. hostile YAML

def _bomb(levels=9, width=10):
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * width)}]")
    lines.append("Resources: {}")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_before_expansion(tmp_path):
    from cfhttps_io import templates as loader
    text = _bomb()
    assert len(text) < 600
    with pytest.raises(loader.LoadError, match="alias bomb"):
        loader.parse_text(text)
    p = tmp_path / "bomb.yaml"
    p.write_text(text)
    rc, out, _ = run("audit", str(p), "--format", "json")
    assert rc == 2 and "refused before expanding it" in json.loads(out)["errors"][0]["message"]


def test_alias_budget_counts_nodes_reached_through_aliases():
    from cfhttps_io import templates as loader
    root = loader._Loader(_bomb(levels=4)).get_single_node()
    loader.check_expansion(root)  # 10^4 leaves: a big shared block, fine
    root = loader._Loader(_bomb(levels=6)).get_single_node()
    with pytest.raises(loader.LoadError, match="alias bomb"):
        loader.check_expansion(root)  # 10^6: refused without converting anything


def test_recursive_alias_is_refused(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("a: &a [1, *a]\nResources: {}\n")
    rc, out, _ = run("audit", str(p), "--format", "json")
    assert rc == 2 and json.loads(out)["errors"][0]["message"]


def test_anchors_that_templates_use_still_work(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("""Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: s3, DomainName: b.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior: &b {TargetOriginId: s3, ViewerProtocolPolicy: allow-all}
        CacheBehaviors:
          - {PathPattern: /a/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
""")
    rc, out, _ = run("audit", str(p), "--format", "json")
    assert rc == 1 and "CFH001" in {f["code"] for f in json.loads(out)["findings"]}


# ------------------------------------------------------------ 7. text cannot drive a terminal

HOSTILE = "/a\x1b[2J\x07\u202e\u2066x\x9b*"


def _hostile_template(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text(f"""Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{{Id: s3, DomainName: b.s3.amazonaws.com, S3OriginConfig: {{}}}}]
        DefaultCacheBehavior: {{TargetOriginId: s3, ViewerProtocolPolicy: https-only}}
        CacheBehaviors:
          - {{PathPattern: {json.dumps(HOSTILE)}, TargetOriginId: "nowhere\\e[1A\\n", ViewerProtocolPolicy: allow-all}}
""", encoding="utf-8")
    return p


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_escape_control_and_bidi_characters(tmp_path, fmt):
    p = _hostile_template(tmp_path)
    rc, out, err = run("audit", str(p), "--format", fmt, "--verbose")
    assert rc == 1, err
    for ch in "\x1b\x07\x9b\u202e\u2066":
        assert ch not in out
    assert "\\x1b[2J" in out and "\\u202e" in out and "\\x07" in out
    assert "\n[1A" not in out and "\r" not in out  # no forged line start


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_keep_the_exact_text(tmp_path, fmt):
    p = _hostile_template(tmp_path)
    rc, out, _ = run("audit", str(p), "--format", fmt)
    assert rc == 1 and "\x1b" not in out  # the JSON encoder escapes it (\u001b) ...
    assert any(HOSTILE in s for s in _strings(json.loads(out)))  # ... and it reads back exact


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_printable_escapes_every_steering_character():
    from cfhttps_cli.safe_text import printable
    assert printable("/static/*.css") == "/static/*.css"
    assert printable("café/日本") == "café/日本"
    for ch in ["\x00", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9b", "\u200e", "\u202a",
               "\u202e", "\u2066", "\u2069", "\u2028", "\ufeff"]:
        assert ch not in printable(f"a{ch}b") and printable(f"a{ch}b").startswith("a\\")


# ------------------------------------------------------------------ 8. smaller things

def test_negative_max_file_size_is_rejected():
    for value in ("-1", "0"):
        rc, _, err = run("audit", "examples/good", "--max-file-size", value)
        assert rc == 2 and "--max-file-size" in err and "at least 1" in err


def test_input_kind_on_a_folder_skips_other_kinds(tmp_path):
    bad_copy(tmp_path)
    api = {"DistributionConfig": {"Origins": {"Quantity": 1, "Items": [
        {"Id": "o", "DomainName": "b.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"}}}
    (tmp_path / "d.json").write_text(json.dumps(api))
    (tmp_path / "ci.yml").write_text("on: push\n")
    rc, out, err = run("audit", str(tmp_path), "--input-kind", "api", "--format", "json")
    doc = json.loads(out)
    assert rc == 1 and doc["errors"] == [], err
    assert {os.path.basename(f["file"]) for f in doc["findings"]} == {"d.json"}
    skipped = {os.path.basename(s["file"]): s["reason"] for s in doc["skipped"]}
    assert set(skipped) == {"t.yaml", "ci.yml"}
    assert "CloudFormation template" in skipped["t.yaml"] and "--input-kind api" in skipped["t.yaml"]
    rc, out, _ = run("audit", str(tmp_path / "t.yaml"), "--input-kind", "api", "--format", "json")
    assert rc == 2  # a file named explicitly is read as the forced kind, and says why it is not


def test_unknown_origin_protocol_policy_gives_a_note(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("""Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: api
            DomainName: api.example.com
            CustomOriginConfig: {OriginProtocolPolicy: !ImportValue shared-policy, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior: {TargetOriginId: api, ViewerProtocolPolicy: !ImportValue shared-viewer}
        ViewerCertificate: {AcmCertificateArn: arn, MinimumProtocolVersion: TLSv1.2_2021, SslSupportMethod: sni-only}
""")
    rc, out, _ = run("audit", str(p), "--format", "json")
    notes = json.loads(out)["notes"]
    by_code = {n["code"]: n for n in notes}
    assert by_code["CFH001"]["kind"] == by_code["CFH003"]["kind"] == "unknown-value"
    assert by_code["CFH003"]["path"][-1] == "OriginProtocolPolicy"
    assert "OriginProtocolPolicy" in by_code["CFH003"]["message"]
