#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates a large mixed-source tree for the secrets benchmark (bench/hygiene.sh).

Usage: make-secrets-tree.py OUT_DIR [SIZE_MB] [PLANTED]

  OUT_DIR   created (must not exist, or hold a previous tree, which is replaced)
  SIZE_MB   total size of the tree in MB (default 500; env HYGIENE_TREE_MB)
  PLANTED   number of planted secrets (default 200; env HYGIENE_PLANTED)

The tree looks like a monorepo: Python, JavaScript, TypeScript, Go, Java, C#, YAML, JSON, Markdown and .env files of
2-64 KiB of plausible code, plus some minified bundles and lockfiles. Into it go:
  - PLANTED secrets of kinds every compared scanner documents (AWS, GitHub, GitLab, Slack, Stripe, SendGrid, npm,
    PyPI, Shopify, private keys, ...), each a made-up but well-formed token (checksums valid where the format has one);
  - as many decoys: placeholders (AKIAIOSFODNN7EXAMPLE, ghp_xxxx..., ${TOKEN}, sk_live_0000...), UUIDs, hashes,
    integrity strings, base64 blobs and test keys that must NOT be reported.
Both are recorded in OUT_DIR/../<name>.truth.json: [{"kind", "file", "line", "endLine", "planted": bool}].
Every run with the same arguments produces the same tree (seeded).
"""
import base64
import json
import os
import random
import shutil
import string
import sys
import zlib

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URL = ALNUM + "_-"


def main():
    out = sys.argv[1]
    size_mb = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("HYGIENE_TREE_MB", "500"))
    planted = int(sys.argv[3]) if len(sys.argv) > 3 else int(os.environ.get("HYGIENE_PLANTED", "200"))
    rnd = random.Random(6)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    target = size_mb * 1_000_000

    def rs(alphabet, n):
        return "".join(rnd.choice(alphabet) for _ in range(n))

    def base62_crc(payload):
        n = zlib.crc32(payload.encode()) & 0xFFFFFFFF
        s = ""
        while n:
            n, r = divmod(n, 62)
            s = B62[r] + s
        return s.rjust(6, "0")

    def gh(prefix):
        body = rs(ALNUM, 30)
        return prefix + body + base62_crc(body)

    def pem(label, lines=12):
        body = "\n".join(rs(B64, 64) for _ in range(lines))
        return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"

    # (kind, function returning the text to plant: one or more lines)
    secrets = [
        ("aws-access-key", lambda: f'AWS_ACCESS_KEY_ID = "AKIA{rs("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}"'),
        ("aws-secret-key", lambda: f'aws_secret_access_key = "{rs(B64, 40)}"'),
        ("github-pat", lambda: f'GITHUB_TOKEN = "{gh("ghp_")}"'),
        ("github-oauth", lambda: f'oauth_token: "{gh("gho_")}"'),
        ("github-fine-grained", lambda: f'GH_PAT = "github_pat_{rs(ALNUM, 22)}_{rs(ALNUM, 59)}"'),
        ("gitlab-pat", lambda: f'GITLAB_TOKEN = "glpat-{rs(URL[:-1], 20)}"'),
        ("slack-bot", lambda: f'SLACK_BOT_TOKEN = "xoxb-{rnd.randint(10**10, 10**11 - 1)}-{rnd.randint(10**11, 10**12 - 1)}-{rs(ALNUM, 24)}"'),
        ("slack-webhook", lambda: f'webhook = "https://hooks.slack.com/services/T{rs(string.ascii_uppercase + string.digits, 10)}/B{rs(string.ascii_uppercase + string.digits, 10)}/{rs(ALNUM, 24)}"'),
        ("stripe-secret", lambda: f'STRIPE_SECRET_KEY = "sk_live_{rs(ALNUM, 32)}"'),
        ("sendgrid", lambda: f'SENDGRID_API_KEY = "SG.{rs(URL[:-1], 22)}.{rs(URL[:-1], 43)}"'),
        ("npm-token", lambda: f'//registry.npmjs.org/:_authToken={gh("npm_")}'),
        ("pypi-token", lambda: f'password = pypi-AgEIcHlwaS5vcmc{rs(URL[:-1], 120)}'),
        ("shopify-token", lambda: f'SHOPIFY_ACCESS_TOKEN = "shpat_{rs(HEX, 32)}"'),
        ("google-api-key", lambda: f'GOOGLE_MAPS_KEY = "AIza{rs(URL[:-1], 35)}"'),
        ("rsa-private-key", lambda: pem("RSA PRIVATE KEY")),
        ("openssh-private-key", lambda: pem("OPENSSH PRIVATE KEY", 8)),
        ("ec-private-key", lambda: pem("EC PRIVATE KEY", 3)),
        ("age-secret-key", lambda: f'AGE-SECRET-KEY-1{rs("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".upper(), 58)}'),
        ("dockerhub-pat", lambda: f'DOCKERHUB_TOKEN = "dckr_pat_{rs(URL[:-1], 27)}"'),
        ("hashicorp-vault", lambda: f'VAULT_TOKEN = "hvs.{rs(URL[:-1], 90)}"'),
    ]
    decoys = [
        ("aws-example", lambda: 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"'),
        ("aws-example-secret", lambda: 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'),
        ("github-placeholder", lambda: 'GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'),
        ("env-reference", lambda: 'password = "${DB_PASSWORD}"'),
        ("template", lambda: 'api_key: "{{ .Values.apiKey }}"'),
        ("stripe-zeros", lambda: 'STRIPE_SECRET_KEY = "sk_live_000000000000000000000000"'),
        ("stripe-test", lambda: f'STRIPE_TEST_KEY = "sk_test_{rs(ALNUM, 24)}"'),
        ("uuid", lambda: f'request_id = "{rs(HEX, 8)}-{rs(HEX, 4)}-4{rs(HEX, 3)}-a{rs(HEX, 3)}-{rs(HEX, 12)}"'),
        ("sha256", lambda: f'checksum = "{rs(HEX, 64)}"'),
        ("integrity", lambda: f'"integrity": "sha512-{rs(B64, 86)}=="'),
        ("git-sha", lambda: f'commit: {rs(HEX, 40)}'),
        ("doc-password", lambda: 'DATABASE_URL=postgres://user:password@localhost/app'),
        ("doc-key", lambda: "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"),
        ("your-key", lambda: 'SENDGRID_API_KEY = "your_sendgrid_api_key_here"'),
        ("changeme", lambda: 'password: changeme'),
    ]

    words = ("user order item cart price account session request response handler client server config value index "
             "count total name list map table record event message queue worker cache store buffer stream token "
             "path file line result error status payload header body params options context logger metrics").split()

    def ident():
        return rnd.choice(words) + rnd.choice(["", "_", ""]) + rnd.choice(words).capitalize()

    def py_chunk():
        f = ident()
        return (f"def {f}({ident()}, {ident()}=None):\n"
                f"    \"\"\"Return the {rnd.choice(words)} for the given {rnd.choice(words)}.\"\"\"\n"
                f"    if {ident()} is None:\n        {ident()} = {{}}\n"
                f"    for {rnd.choice(words)} in {ident()}.items():\n"
                f"        logger.debug(\"{rnd.choice(words)} %s\", {rnd.choice(words)})\n"
                f"    return {ident()}.get(\"{rnd.choice(words)}\", {rnd.randint(0, 9999)})\n\n")

    def js_chunk():
        return (f"export async function {ident()}({ident()}, {ident()}) {{\n"
                f"  const {ident()} = await fetch(`/api/{rnd.choice(words)}/${{{ident()}}}`);\n"
                f"  if (!{ident()}.ok) throw new Error('{rnd.choice(words)} failed: ' + {ident()}.status);\n"
                f"  return {{ {rnd.choice(words)}: {rnd.randint(0, 999)}, {rnd.choice(words)}: '{rnd.choice(words)}' }};\n}}\n\n")

    def go_chunk():
        return (f"func (s *{ident().capitalize()}) {ident().capitalize()}(ctx context.Context, {rnd.choice(words)} string) error {{\n"
                f"\tif err := s.{ident()}(ctx); err != nil {{\n\t\treturn fmt.Errorf(\"{rnd.choice(words)}: %w\", err)\n\t}}\n"
                f"\ts.{rnd.choice(words)}[{rnd.choice(words)}] = {rnd.randint(0, 99)}\n\treturn nil\n}}\n\n")

    def java_chunk():
        return (f"    public {ident().capitalize()} {ident()}(final String {rnd.choice(words)}) {{\n"
                f"        final var {ident()} = this.{ident()}.stream().filter(x -> x.{ident()}() > {rnd.randint(0, 99)}).toList();\n"
                f"        LOG.info(\"{rnd.choice(words)} {{}}\", {ident()});\n        return new {ident().capitalize()}({ident()});\n    }}\n\n")

    def cs_chunk():
        return (f"    public async Task<{ident().capitalize()}> {ident().capitalize()}Async(string {rnd.choice(words)}, CancellationToken ct)\n    {{\n"
                f"        var {ident()} = await _{ident()}.GetAsync({rnd.choice(words)}, ct).ConfigureAwait(false);\n"
                f"        return {ident()} ?? throw new InvalidOperationException(\"no {rnd.choice(words)}\");\n    }}\n\n")

    def yaml_chunk():
        return (f"{rnd.choice(words)}:\n  {rnd.choice(words)}: {rnd.randint(0, 9999)}\n  {rnd.choice(words)}: \"{ident()}\"\n"
                f"  enabled: {rnd.choice(['true', 'false'])}\n  image: registry.example.com/{rnd.choice(words)}:{rnd.randint(1, 9)}.{rnd.randint(0, 20)}\n")

    def md_chunk():
        return (f"## {rnd.choice(words).capitalize()} {rnd.choice(words)}\n\nThe {rnd.choice(words)} keeps a {rnd.choice(words)} for each "
                f"{rnd.choice(words)}; set `{ident()}` to change how the {rnd.choice(words)} is read. See the token and secret docs.\n\n")

    def json_chunk():
        return (f'  "{rnd.choice(words)}-{rnd.choice(words)}": {{ "version": "{rnd.randint(0, 9)}.{rnd.randint(0, 30)}.{rnd.randint(0, 9)}", '
                f'"resolved": "https://registry.npmjs.org/{rnd.choice(words)}/-/{rnd.choice(words)}.tgz", "integrity": "sha512-{rs(B64, 86)}==" }},\n')

    kinds = [("py", py_chunk, "# "), ("js", js_chunk, "// "), ("ts", js_chunk, "// "), ("go", go_chunk, "// "),
             ("java", java_chunk, "// "), ("cs", cs_chunk, "// "), ("yaml", yaml_chunk, "# "), ("md", md_chunk, ""),
             ("json", json_chunk, None)]
    weights = [20, 15, 10, 10, 10, 10, 8, 10, 7]
    # a pool of chunks per kind, reused (generation speed), each file a random sequence of them
    pools = {k: [f() for _ in range(400)] for k, f, _ in kinds}

    dirs = [f"services/{rnd.choice(words)}-{i}/{sub}" for i in range(60) for sub in ("src", "lib", "config", "docs", "test")]
    total = 0
    files = []
    n = 0
    while total < target:
        kind, _, comment = rnd.choices(kinds, weights)[0]
        path = f"{rnd.choice(dirs)}/{ident()}_{n}.{kind}"
        n += 1
        size = int(rnd.lognormvariate(9.5, 0.8))
        size = max(2048, min(size, 65536))
        pool = pools[kind]
        parts = []
        got = 0
        while got < size:
            c = rnd.choice(pool)
            parts.append(c)
            got += len(c)
        text = "".join(parts)
        if kind == "json":
            text = "{\n" + text + '  "end": {}\n}\n'
        files.append([path, kind, comment, text])
        total += len(text)
    # a few minified bundles (long lines)
    for i in range(max(1, size_mb // 50)):
        line = "".join(f"var {ident()}=function(a){{return a.{rnd.choice(words)}?a.token:null}};" for _ in range(8000))
        files.append([f"web/dist/bundle-{i}.min.js", "js", None, line + "\n"])

    truth = []

    def plant(entries, planted_flag, count):
        # secrets go into code and config outside test/ and docs/ folders and Markdown, which some scanners skip by
        # design (Trivy does); decoys go anywhere
        candidates = [f for f in files if f[2] is not None
                      and (not planted_flag or ("/test/" not in f[0] and "/docs/" not in f[0] and f[1] != "md"))]
        for i in range(count):
            kind, make = entries[i % len(entries)]
            f = rnd.choice(candidates)
            secret = make()
            lines = f[3].split("\n")
            at = rnd.randint(0, max(0, len(lines) - 2))
            new_lines = secret.split("\n")
            lines[at:at] = new_lines
            f[3] = "\n".join(lines)
            # later insertions into the same file shift earlier ones: fix up recorded lines
            for t in truth:
                if t["file"] == f[0] and t["line"] >= at + 1:
                    t["line"] += len(new_lines)
                    t["endLine"] += len(new_lines)
            truth.append({"kind": kind, "file": f[0], "line": at + 1, "endLine": at + len(new_lines), "planted": planted_flag})

    plant(secrets, True, planted)
    plant(decoys, False, planted)

    for path, _, _, text in files:
        full = os.path.join(out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as fh:
            fh.write(text)
    truth.sort(key=lambda t: (t["file"], t["line"]))
    with open(out.rstrip("/") + ".truth.json", "w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=1)
    actual = sum(len(t[3].encode()) for t in files)
    print(f"{out}: {len(files)} files, {actual / 1e6:.0f} MB, {planted} planted secrets, {planted} decoys", file=sys.stderr)


if __name__ == "__main__":
    main()
