// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Hygiene.Secrets;

/// The built-in rules, most specific first: when two rules find the same secret (an npm token in .npmrc, a GCP key's
/// PEM block), the earlier one names it. Token shapes come from the vendors' own documentation of their formats.
public static class SecretRules
{
    // a token ends where its character set ends (NonBacktracking has no lookahead, so the next character is consumed)
    private const string EndAlnum = @"(?:[^A-Za-z0-9]|$)";
    private const string EndWord = @"(?:[^A-Za-z0-9_\-]|$)";
    // Long tails are written {n,} rather than {n,5000}: NonBacktracking would unfold a large bound into a large
    // automaton, and the rule's window (SecretRule.After) already bounds how far a match can reach.
    // key = value, key: value, key => value, key := value, with optional quotes around the key
    private const string Assign = @"[""']?[ \t]{0,4}(?::=|=>|=|:)[ \t]{0,4}[""']?";

    public static IReadOnlyList<SecretRule> BuiltIn { get; } = Build();

    private static SecretRule Prefixed(string id, string description, string pattern, string keyword, double minEntropy = 3.0) =>
        new(id, description, pattern, [keyword]) { Before = 8, After = 512, MinEntropy = minEntropy };

    private static List<SecretRule> Build()
    {
        var rules = new List<SecretRule>
        {
            // ── cloud providers ──
            new("aws-access-key-id", "AWS access key ID", @"\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})" + EndAlnum, ["AKIA", "ASIA", "ABIA", "ACCA"])
                { Before = 8, After = 64, MinEntropy = 3.0 },
            new("aws-secret-access-key", "AWS secret access key assigned next to an AWS name",
                @"(?i)aws[a-z0-9_.\- ]{0,24}secret[a-z0-9_.\- ]{0,24}" + Assign + @"(?<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)", ["aws"])
                { Before = 8, After = 200, MinEntropy = 4.0, Validate = SecretChecks.HasLettersAndDigits, Gate = AwsSecretGate },
            new("gcp-service-account-key", "Google Cloud service account key (private_key of a service_account JSON key file)",
                @"""private_key""[ \t]{0,4}:[ \t]{0,4}""-----BEGIN PRIVATE KEY-----", ["\"private_key\""])
                { Before = 8, After = 128, Locate = (text, m) => ServiceAccountKey(text, m) },
            Prefixed("google-api-key", "Google API key", @"\b(?<secret>AIza[0-9A-Za-z_\-]{35})" + EndWord, "AIza"),
            Prefixed("google-oauth-client-secret", "Google OAuth client secret", @"\b(?<secret>GOCSPX-[A-Za-z0-9_\-]{28})" + EndWord, "GOCSPX-"),
            new("firebase-cloud-messaging-server-key", "Firebase Cloud Messaging legacy server key",
                @"\b(?<secret>AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134})" + EndWord, [":APA91b"])
                { Before = 16, After = 160, MinEntropy = 3.5 },
            Prefixed("google-oauth-access-token", "Google OAuth access token", @"\b(?<secret>ya29\.[0-9A-Za-z_\-]{30,})" + EndWord, "ya29.", 3.5),
            new("azure-storage-account-key", "Azure storage or Cosmos DB account key in a connection string",
                @"AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)", ["AccountKey="]) { Before = 8, After = 128, MinEntropy = 4.0 },
            new("azure-shared-access-key", "Azure Service Bus / Event Hubs shared access key in a connection string",
                @"SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)", ["SharedAccessKey="]) { Before = 8, After = 80, MinEntropy = 4.0 },
            new("azure-ad-client-secret", "Microsoft Entra ID (Azure AD) application client secret",
                @"(?:^|[^A-Za-z0-9_~.\-])(?<secret>[A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$)", ["Q~"])
                { Before = 8, After = 48, MinEntropy = 3.5, Validate = SecretChecks.HasLettersAndDigits },
            Prefixed("alibaba-access-key-id", "Alibaba Cloud AccessKey ID", @"\b(?<secret>LTAI[A-Za-z0-9]{12,20})" + EndAlnum, "LTAI", 3.3),
            Prefixed("digitalocean-personal-access-token", "DigitalOcean personal access token", @"\b(?<secret>dop_v1_[a-f0-9]{64})" + EndAlnum, "dop_v1_"),
            Prefixed("digitalocean-oauth-token", "DigitalOcean OAuth token", @"\b(?<secret>doo_v1_[a-f0-9]{64})" + EndAlnum, "doo_v1_"),
            Prefixed("digitalocean-refresh-token", "DigitalOcean OAuth refresh token", @"\b(?<secret>dor_v1_[a-f0-9]{64})" + EndAlnum, "dor_v1_"),
            Prefixed("cloudflare-origin-ca-key", "Cloudflare Origin CA key", @"\b(?<secret>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})" + EndAlnum, "v1.0-"),
            new("heroku-api-key", "Heroku API key assigned next to a Heroku name",
                @"(?i)heroku[a-z0-9_.\- ]{0,24}(?:key|token)" + Assign + @"(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})" + EndAlnum, ["heroku"])
                { Before = 8, After = 160 },
            Prefixed("tencent-cloud-secret-id", "Tencent Cloud SecretId", @"\b(?<secret>AKID[A-Za-z0-9]{32})" + EndAlnum, "AKID", 3.5),
            Prefixed("yandex-cloud-api-key", "Yandex Cloud API key", @"\b(?<secret>AQVN[A-Za-z0-9_\-]{35,38})" + EndWord, "AQVN", 3.5),
            Prefixed("scaleway-access-key", "Scaleway access key ID", @"\b(?<secret>SCW[A-Z0-9]{17})" + EndAlnum, "SCW"),
            Prefixed("google-oauth-refresh-token", "Google OAuth refresh token", @"\b(?<secret>1//0[A-Za-z0-9_\-]{40,})" + EndWord, "1//0", 3.5),
            Prefixed("akamai-edgegrid-token", "Akamai EdgeGrid client or access token", @"\b(?<secret>akab-[a-z0-9]{16}-[a-z0-9]{16})" + EndAlnum, "akab-"),
            Prefixed("heroku-api-key-v2", "Heroku API key (HRKU- format)", @"\b(?<secret>HRKU-[A-Za-z0-9_\-]{60})" + EndWord, "HRKU-", 3.5),
            Prefixed("fly-io-token", "Fly.io access token", @"(?<secret>FlyV1 fm[12][ar]?_[A-Za-z0-9+/=_\-]{60,})", "FlyV1 fm", 3.5),
            Prefixed("netlify-access-token", "Netlify personal access token", @"\b(?<secret>nfp_[A-Za-z0-9]{36})" + EndAlnum, "nfp_", 3.5),
            Prefixed("render-api-key", "Render API key", @"\b(?<secret>rnd_[A-Za-z0-9]{32})" + EndAlnum, "rnd_", 3.5),
            Prefixed("supabase-secret-key", "Supabase secret API key", @"\b(?<secret>sb_secret_[A-Za-z0-9_\-]{24,64})" + EndWord, "sb_secret_", 3.5),
            Prefixed("neon-api-key", "Neon API key", @"\b(?<secret>napi_[a-z0-9]{64})" + EndAlnum, "napi_", 3.5),
            new("deno-deploy-token", "Deno Deploy access token", @"\b(?<secret>dd[pw]_[A-Za-z0-9]{36})" + EndAlnum, ["ddp_", "ddw_"])
                { Before = 8, After = 48, MinEntropy = 3.5 },
            new("azure-devops-pat", "Azure DevOps personal access token (84-character format)",
                @"\b(?<secret>[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9]{18}AZDO[A-Za-z0-9]{4})" + EndAlnum, ["AZDO"])
                { Before = 80, After = 8, MinEntropy = 4.0 },
            new("azure-sas-token", "Azure shared access signature (sv=… sig=…) in a URL or connection string",
                @"\bsv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[^\s""'<>]{0,400}\bsig=(?<secret>[A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})", ["sv=20"])
                { Before = 8, After = 600, MinEntropy = 3.5 },
            new("azure-app-configuration-secret", "Azure App Configuration connection string secret",
                @"\.azconfig\.io;Id=[^;\s]{1,64};Secret=(?<secret>[A-Za-z0-9+/]{43}=)", [".azconfig.io"])
                { Before = 8, After = 200, MinEntropy = 4.0 },

            // ── source forges and CI ──
            Github("github-personal-access-token", "GitHub personal access token (classic)", "ghp_"),
            Github("github-oauth-token", "GitHub OAuth access token", "gho_"),
            Github("github-user-to-server-token", "GitHub App user-to-server token", "ghu_"),
            Github("github-server-to-server-token", "GitHub App installation (server-to-server) token", "ghs_"),
            Github("github-refresh-token", "GitHub App refresh token", "ghr_"),
            Prefixed("github-fine-grained-token", "GitHub fine-grained personal access token",
                @"\b(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})" + EndAlnum, "github_pat_", 4.0),
            Prefixed("gitlab-personal-access-token", "GitLab personal, project or group access token", @"\b(?<secret>glpat-[A-Za-z0-9_\-]{20,64}(?:\.[A-Za-z0-9]{2}\.[A-Za-z0-9]{9})?)" + EndWord, "glpat-"),
            Prefixed("gitlab-deploy-token", "GitLab deploy token", @"\b(?<secret>gldt-[A-Za-z0-9_\-]{20,64})" + EndWord, "gldt-"),
            Prefixed("gitlab-runner-token", "GitLab runner authentication token", @"\b(?<secret>glrt-[A-Za-z0-9_\-]{20,64}(?:\.[A-Za-z0-9]{2}\.[A-Za-z0-9]{9})?)" + EndWord, "glrt-"),
            Prefixed("gitlab-runner-registration-token", "GitLab runner registration token (deprecated)", @"\b(?<secret>GR1348941[A-Za-z0-9_\-]{20,64})" + EndWord, "GR1348941"),
            Prefixed("gitlab-ci-build-token", "GitLab CI/CD job token", @"\b(?<secret>glcbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_\-]{20,64})" + EndWord, "glcbt-"),
            Prefixed("gitlab-pipeline-trigger-token", "GitLab pipeline trigger token", @"\b(?<secret>glptt-[A-Za-z0-9_\-]{20,64})" + EndWord, "glptt-"),
            Prefixed("gitlab-feed-token", "GitLab feed token", @"\b(?<secret>glft-[A-Za-z0-9_\-]{20,64})" + EndWord, "glft-"),
            Prefixed("gitlab-incoming-mail-token", "GitLab incoming mail token", @"\b(?<secret>glimt-[A-Za-z0-9_\-]{25,64})" + EndWord, "glimt-"),
            Prefixed("gitlab-agent-token", "GitLab agent for Kubernetes token", @"\b(?<secret>glagent-[A-Za-z0-9_\-]{50,80})" + EndWord, "glagent-"),
            Prefixed("gitlab-oauth-app-secret", "GitLab OAuth application secret", @"\b(?<secret>gloas-[a-f0-9]{64})" + EndAlnum, "gloas-"),
            Prefixed("gitlab-scim-token", "GitLab SCIM OAuth token", @"\b(?<secret>glsoat-[A-Za-z0-9_\-]{20,64})" + EndWord, "glsoat-"),
            Prefixed("gitlab-feature-flags-token", "GitLab feature flags client token", @"\b(?<secret>glffct-[A-Za-z0-9_\-]{20,64})" + EndWord, "glffct-"),
            Prefixed("circleci-personal-token", "CircleCI personal API token", @"\b(?<secret>CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})" + EndAlnum, "CCIPAT_"),
            Prefixed("buildkite-agent-token", "Buildkite user access token", @"\b(?<secret>bkua_[a-f0-9]{40})" + EndAlnum, "bkua_"),
            new("sonarqube-token", "SonarQube / SonarCloud token", @"\b(?<secret>sq[pua]_[a-f0-9]{40})" + EndAlnum, ["sqp_", "squ_", "sqa_"])
                { Before = 8, After = 64, MinEntropy = 3.0 },
            new("terraform-cloud-token", "Terraform Cloud / Enterprise API token", @"\b(?<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-]{60,70})" + EndWord, ["atlasv1"])
                { Before = 24, After = 96, MinEntropy = 3.5 },
            Prefixed("hashicorp-vault-service-token", "HashiCorp Vault service token", @"\b(?<secret>hvs\.[A-Za-z0-9_\-]{24,300})" + EndWord, "hvs.", 3.5),
            Prefixed("hashicorp-vault-batch-token", "HashiCorp Vault batch token", @"\b(?<secret>hvb\.[A-Za-z0-9_\-]{24,300})" + EndWord, "hvb.", 3.5),
            Prefixed("doppler-token", "Doppler personal or service token", @"\b(?<secret>dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})" + EndAlnum, "dp."),
            Prefixed("pulumi-access-token", "Pulumi access token", @"\b(?<secret>pul-[a-f0-9]{40})" + EndAlnum, "pul-"),
            Prefixed("postman-api-key", "Postman API key", @"\b(?<secret>PMAK-[a-f0-9]{24}-[a-f0-9]{34})" + EndAlnum, "PMAK-"),
            Prefixed("jfrog-api-key", "JFrog Artifactory API key", @"\b(?<secret>AKCp[A-Za-z0-9]{69})" + EndAlnum, "AKCp", 3.5),
            Prefixed("jfrog-reference-token", "JFrog reference token", @"\b(?<secret>cmVmdGtuOjAxOj[A-Za-z0-9]{40,60})" + EndAlnum, "cmVmdGtuOjAxOj", 3.5),
            Prefixed("tailscale-key", "Tailscale API, auth or OAuth client key", @"\b(?<secret>tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40})" + EndAlnum, "tskey-"),
            Prefixed("atlassian-api-token", "Atlassian (Jira, Confluence) API token", @"\b(?<secret>ATATT[A-Za-z0-9_\-=]{150,})" + @"(?:[^A-Za-z0-9_\-=]|$)", "ATATT", 4.0),
            Prefixed("bitbucket-app-password", "Bitbucket app password", @"\b(?<secret>ATBB[A-Za-z0-9]{28,40})" + EndAlnum, "ATBB", 3.5),
            Prefixed("circleci-project-token", "CircleCI project API token", @"\b(?<secret>CCIPRJ_[A-Za-z0-9]{22}_[a-f0-9]{40})" + EndAlnum, "CCIPRJ_"),
            Prefixed("infracost-api-key", "Infracost API key", @"\b(?<secret>ico-[A-Za-z0-9]{32})" + EndAlnum, "ico-", 3.5),
            new("dbt-cloud-token", "dbt Cloud service or user token", @"\b(?<secret>dbt[cu]_[A-Za-z0-9_\-]{32,})" + EndWord, ["dbtc_", "dbtu_"])
                { Before = 8, After = 200, MinEntropy = 3.5, Validate = SecretChecks.HasLettersAndDigits },
            Prefixed("sourcegraph-access-token", "Sourcegraph access token", @"\b(?<secret>sgp_(?:[a-f0-9]{16}|local)_[a-f0-9]{40})" + EndAlnum, "sgp_"),
            new("snyk-api-token", "Snyk API token assigned next to a Snyk name",
                @"(?i)snyk[a-z0-9_.\- ]{0,24}(?:token|key)" + Assign + @"(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})" + EndAlnum, ["snyk"])
                { Before = 8, After = 160 },

            // ── package registries ──
            new("npm-access-token", "npm access token", @"\b(?<secret>npm_[A-Za-z0-9]{36})" + EndAlnum, ["npm_"])
                { Before = 8, After = 64, Validate = Checksums.IsValidCrc32Base62Token },
            Prefixed("pypi-token", "PyPI API token", @"\b(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})" + EndWord, "pypi-AgEIcHlwaS5vcmc", 3.5),
            Prefixed("testpypi-token", "TestPyPI API token", @"\b(?<secret>pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_\-]{50,})" + EndWord, "pypi-AgENdGVzdC5weXBpLm9yZw", 3.5),
            new("crates-io-api-token", "crates.io API token", @"\b(?<secret>cio[A-Za-z0-9]{32})" + EndAlnum, ["cio"])
                { Before = 8, After = 48, MinEntropy = 3.5, Validate = SecretChecks.HasLettersAndDigits },
            Prefixed("packagist-token", "Private Packagist token", @"\b(?<secret>packagist_[a-z]{3}_[a-f0-9]{68})" + EndAlnum, "packagist_"),
            Prefixed("nuget-api-key", "NuGet.org API key", @"\b(?<secret>oy2[a-z0-9]{43})" + EndAlnum, "oy2", 3.5),
            Prefixed("rubygems-api-key", "RubyGems.org API key", @"\b(?<secret>rubygems_[a-f0-9]{48})" + EndAlnum, "rubygems_"),
            Prefixed("clojars-deploy-token", "Clojars deploy token", @"\b(?<secret>CLOJARS_[a-z0-9]{60})" + EndAlnum, "CLOJARS_", 3.5),
            Prefixed("docker-hub-personal-access-token", "Docker Hub personal access token", @"\b(?<secret>dckr_pat_[A-Za-z0-9_\-]{27})" + EndWord, "dckr_pat_"),
            Prefixed("docker-hub-organization-token", "Docker Hub organization access token", @"\b(?<secret>dckr_oat_[A-Za-z0-9_\-]{32})" + EndWord, "dckr_oat_"),
            new("npmrc-auth-token", "Registry auth token in an .npmrc (_authToken=)", @"_authToken[ \t]{0,4}=[ \t]{0,4}[""']?(?<secret>[A-Za-z0-9_\-.+/=]{16,400})", ["_authToken"])
                { Before = 8, After = 600, MinEntropy = 3.0 },
            new("docker-config-identity-token", "Registry identity token in a Docker config.json (\"identitytoken\")",
                @"""identitytoken""[ \t]{0,4}:[ \t]{0,4}""(?<secret>[A-Za-z0-9_\-.+/=]{16,400})""", ["\"identitytoken\""])
                { Before = 8, After = 500, MinEntropy = 3.0 },
            new("yarnrc-npm-auth-token", "Registry auth token in a .yarnrc.yml (npmAuthToken)",
                @"npmAuthToken[""']?[ \t]{0,4}:[ \t]{0,4}[""']?(?<secret>[A-Za-z0-9_\-.+/=]{16,400})", ["npmAuthToken"])
                { Before = 8, After = 500, MinEntropy = 3.0 },
            new("nuget-config-password", "Clear-text feed password in a NuGet.Config (ClearTextPassword)",
                @"key=""ClearTextPassword""[ \t]{1,8}value=""(?<secret>[^""\r\n]{4,400})""", ["ClearTextPassword"])
                { Before = 16, After = 500 },
            new("maven-settings-password", "Server password in a Maven settings.xml (<password>)",
                @"<password>[ \t]{0,4}(?<secret>[^<\s]{4,400})[ \t]{0,4}</password>", ["<password>"])
                { Before = 8, After = 500 },
            new("netrc-password", "Password in a .netrc or _netrc (machine … login … password …)",
                @"(?:^|[\s])machine[ \t]{1,8}[^\s]{1,255}[ \t\r\n]{1,8}login[ \t]{1,8}[^\s]{1,255}[ \t\r\n]{1,8}password[ \t]{1,8}(?<secret>[^\s]{4,255})", ["machine"])
                { Before = 8, After = 1100, Gate = NetrcGate },
            new("docker-config-auth", "Registry credentials in a Docker config.json \"auth\" (base64 user:password)",
                @"""auth""[ \t]{0,4}:[ \t]{0,4}""(?<secret>[A-Za-z0-9+/=]{8,})""", ["\"auth\""])
                { Before = 8, After = 1100, Validate = SecretChecks.IsBasicAuthPair },
            new("sidekiq-license", "Sidekiq Pro/Enterprise credentials (BUNDLE_…__CONTRIBSYS__COM)",
                @"CONTRIBSYS__COM[""']?[ \t]{0,4}[=:][ \t]{0,4}[""']?(?<secret>[a-f0-9]{8}:[a-f0-9]{8})" + EndAlnum, ["S__COM"])
                { Before = 32, After = 64, MinEntropy = 2.5 },

            // ── chat, email, payments ──
            Prefixed("slack-bot-token", "Slack bot token", @"\b(?<secret>xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})" + EndAlnum, "xoxb-"),
            Prefixed("slack-user-token", "Slack user token", @"\b(?<secret>xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})" + EndAlnum, "xoxp-"),
            Prefixed("slack-app-token", "Slack app-level token", @"\b(?<secret>xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64})" + EndAlnum, "xapp-"),
            Prefixed("slack-config-token", "Slack app configuration access token", @"\b(?<secret>xoxe\.xox[bp]-1-[A-Za-z0-9]{140,180})" + EndAlnum, "xoxe.xox", 3.5),
            new("slack-webhook-url", "Slack incoming webhook URL",
                @"hooks\.slack\.com/(?:services/(?<secret>T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})|(?:workflows|triggers)/(?<secret>T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/[0-9]{10,20}/[A-Za-z0-9]{32}))" + EndAlnum,
                ["hooks.slack.com"]) { Before = 8, After = 200, MinEntropy = 3.0 },
            new("microsoft-teams-webhook-url", "Microsoft Teams incoming webhook URL",
                @"\b[a-z0-9\-]{1,64}\.webhook\.office\.com/webhookb2/(?<secret>[a-f0-9\-]{36}@[a-f0-9\-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9\-]{36})", ["webhook.office.com"])
                { Before = 72, After = 256 },
            new("discord-webhook-url", "Discord webhook URL",
                @"(?i)discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/(?<secret>[A-Za-z0-9_\-]{60,68})" + EndWord, ["discord"]) { Before = 8, After = 200, MinEntropy = 3.5 },
            new("discord-bot-token", "Discord bot token (near the word Discord)",
                @"(?:^|[^A-Za-z0-9_\-.])(?<secret>[MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38})" + EndWord, ["discord"])
                { Before = 1024, After = 1024, Validate = IsDiscordBotToken },
            new("telegram-bot-token", "Telegram bot token", @"\b(?<secret>[0-9]{8,10}:AA[0-9A-Za-z_\-]{33})" + EndWord, [":AA"]) { Before = 16, After = 48, MinEntropy = 3.5 },
            new("twilio-api-key", "Twilio API key SID (near the word Twilio)", @"\b(?<secret>SK[0-9a-fA-F]{32})" + EndAlnum, ["twilio"]) { Before = 1024, After = 1024, MinEntropy = 3.0 },
            new("twilio-auth-token", "Twilio auth token assigned next to a Twilio name",
                @"(?i)twilio[a-z0-9_.\- ]{0,24}token" + Assign + @"(?<secret>[a-f0-9]{32})" + EndAlnum, ["twilio"]) { Before = 8, After = 160, MinEntropy = 3.0 },
            new("slack-legacy-token", "Slack legacy workspace, app or refresh token", @"\b(?<secret>xox[aors]-[0-9]{1,2}-[A-Za-z0-9\-]{30,})" + EndWord,
                ["xoxa-", "xoxo-", "xoxr-", "xoxs-"]) { Before = 8, After = 300, MinEntropy = 3.5, Validate = SecretChecks.HasLettersAndDigits },
            Prefixed("slack-config-refresh-token", "Slack app configuration refresh token", @"\b(?<secret>xoxe-1-[A-Za-z0-9]{140,180})" + EndAlnum, "xoxe-", 3.5),
            new("dingtalk-webhook-url", "DingTalk robot webhook access token", @"oapi\.dingtalk\.com/robot/send\?access_token=(?<secret>[a-f0-9]{64})" + EndAlnum, ["oapi.dingtalk.com"])
                { Before = 8, After = 128 },
            new("zapier-webhook-url", "Zapier catch hook URL", @"hooks\.zapier\.com/hooks/catch/(?<secret>[0-9]{5,12}/[a-z0-9]{5,10})/?" + EndAlnum, ["hooks.zapier.com"])
                { Before = 8, After = 96, MinEntropy = 2.5 },
            Prefixed("brevo-api-key", "Brevo (Sendinblue) API key", @"\b(?<secret>xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})" + EndAlnum, "xkeysib-"),
            Prefixed("brevo-smtp-key", "Brevo (Sendinblue) SMTP key", @"\b(?<secret>xsmtpsib-[a-f0-9]{64}-[A-Za-z0-9]{16})" + EndAlnum, "xsmtpsib-"),
            Prefixed("mailersend-api-token", "MailerSend API token", @"\b(?<secret>mlsn\.[a-f0-9]{64})" + EndAlnum, "mlsn."),
            Prefixed("sendgrid-api-key", "SendGrid API key", @"\b(?<secret>SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})" + EndWord, "SG.", 4.0),
            Prefixed("mailgun-api-key", "Mailgun API key", @"\b(?<secret>key-[0-9a-f]{32})" + EndAlnum, "key-"),
            new("mailchimp-api-key", "Mailchimp API key", @"\b(?<secret>[0-9a-f]{32}-us[0-9]{1,2})" + EndAlnum, ["-us"]) { Before = 40, After = 16, MinEntropy = 3.0, Gate = MailchimpGate },
            Prefixed("stripe-secret-key", "Stripe live secret key", @"\b(?<secret>sk_live_[A-Za-z0-9]{24,247})" + EndAlnum, "sk_live_"),
            Prefixed("stripe-restricted-key", "Stripe live restricted key", @"\b(?<secret>rk_live_[A-Za-z0-9]{24,247})" + EndAlnum, "rk_live_"),
            Prefixed("stripe-webhook-secret", "Stripe webhook signing secret", @"\b(?<secret>whsec_[A-Za-z0-9+/]{32,88}={0,2})", "whsec_", 3.5),
            Prefixed("square-access-token", "Square access token (legacy format)", @"\b(?<secret>sq0atp-[0-9A-Za-z_\-]{22})" + EndWord, "sq0atp-"),
            Prefixed("square-oauth-secret", "Square OAuth application secret", @"\b(?<secret>sq0csp-[0-9A-Za-z_\-]{43})" + EndWord, "sq0csp-"),
            Prefixed("braintree-access-token", "PayPal Braintree production access token",
                @"\b(?<secret>access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})" + EndAlnum, "access_token$production$"),
            Prefixed("square-production-access-token", "Square production access token (EAAA format)", @"\b(?<secret>EAAA[A-Za-z0-9_\-]{60})" + EndWord, "EAAA", 3.5),
            new("plaid-access-token", "Plaid production access token",
                @"\b(?<secret>access-production-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})" + EndAlnum, ["access-production-"])
                { Before = 8, After = 64, MinEntropy = 3.0 },
            Prefixed("easypost-api-key", "EasyPost production API key", @"\b(?<secret>EZAK[a-f0-9]{54})" + EndAlnum, "EZAK"),
            Prefixed("duffel-live-token", "Duffel live access token", @"\b(?<secret>duffel_live_[A-Za-z0-9_\-]{43})" + EndWord, "duffel_live_", 3.5),
            Prefixed("razorpay-key", "Razorpay live key ID", @"\b(?<secret>rzp_live_[A-Za-z0-9]{14})" + EndAlnum, "rzp_live_"),
            Prefixed("flutterwave-secret-key", "Flutterwave live secret key", @"\b(?<secret>FLWSECK-[a-f0-9]{32}-X)" + EndAlnum, "FLWSECK-"),
            Prefixed("shippo-live-token", "Shippo live API token", @"\b(?<secret>shippo_live_[a-f0-9]{40})" + EndAlnum, "shippo_live_"),
            Prefixed("shopify-access-token", "Shopify Admin API access token", @"\b(?<secret>shpat_[a-fA-F0-9]{32})" + EndAlnum, "shpat_"),
            Prefixed("shopify-custom-app-token", "Shopify custom app access token", @"\b(?<secret>shpca_[a-fA-F0-9]{32})" + EndAlnum, "shpca_"),
            Prefixed("shopify-private-app-token", "Shopify private app password", @"\b(?<secret>shppa_[a-fA-F0-9]{32})" + EndAlnum, "shppa_"),
            Prefixed("shopify-shared-secret", "Shopify app shared secret", @"\b(?<secret>shpss_[a-fA-F0-9]{32})" + EndAlnum, "shpss_"),

            // ── AI, observability and SaaS APIs ──
            new("openai-api-key", "OpenAI API key", @"\b(?<secret>sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200})" + EndWord, ["T3BlbkFJ"])
                { Before = 230, After = 230, MinEntropy = 3.5 },
            Prefixed("anthropic-api-key", "Anthropic API key", @"\b(?<secret>sk-ant-api03-[A-Za-z0-9_\-]{93}AA)" + EndWord, "sk-ant-api03-", 3.5),
            Prefixed("anthropic-admin-key", "Anthropic Admin API key", @"\b(?<secret>sk-ant-admin01-[A-Za-z0-9_\-]{93}AA)" + EndWord, "sk-ant-admin01-", 3.5),
            new("huggingface-token", "Hugging Face access token", @"\b(?<secret>hf_[A-Za-z]{34})" + EndAlnum, ["hf_"])
                { Before = 8, After = 48, MinEntropy = 4.0, Validate = s => s.Skip(3).Any(char.IsAsciiLetterUpper) && s.Skip(3).Any(char.IsAsciiLetterLower) },
            Prefixed("perplexity-api-key", "Perplexity API key", @"\b(?<secret>pplx-[A-Za-z0-9]{48})" + EndAlnum, "pplx-", 3.5),
            Prefixed("xai-api-key", "xAI API key", @"\b(?<secret>xai-[A-Za-z0-9]{80})" + EndAlnum, "xai-", 3.5),
            Prefixed("openrouter-api-key", "OpenRouter API key", @"\b(?<secret>sk-or-v1-[a-f0-9]{64})" + EndAlnum, "sk-or-v1-"),
            Prefixed("pinecone-api-key", "Pinecone API key", @"\b(?<secret>pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,80})" + EndAlnum, "pcsk_", 3.5),
            Prefixed("langfuse-secret-key", "Langfuse secret key", @"\b(?<secret>sk-lf-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})" + EndAlnum, "sk-lf-"),
            new("wandb-api-key", "Weights & Biases API key assigned next to its name",
                @"(?i)wandb[a-z0-9_.\- ]{0,24}(?:key|token)" + Assign + @"(?<secret>[a-f0-9]{40})" + EndAlnum, ["wandb"])
                { Before = 8, After = 160, MinEntropy = 3.0 },
            Prefixed("replicate-api-token", "Replicate API token", @"\b(?<secret>r8_[A-Za-z0-9]{37})" + EndAlnum, "r8_", 3.5),
            Prefixed("groq-api-key", "Groq API key", @"\b(?<secret>gsk_[A-Za-z0-9]{52})" + EndAlnum, "gsk_", 3.5),
            Prefixed("langsmith-api-key", "LangSmith API key", @"\b(?<secret>lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})" + EndAlnum, "lsv2_"),
            Prefixed("sentry-user-token", "Sentry user auth token", @"\b(?<secret>sntryu_[a-f0-9]{64})" + EndAlnum, "sntryu_"),
            Prefixed("grafana-cloud-token", "Grafana Cloud access policy token", @"\b(?<secret>glc_[A-Za-z0-9+/]{32,400}={0,2})", "glc_", 3.5),
            Prefixed("grafana-service-account-token", "Grafana service account token", @"\b(?<secret>glsa_[A-Za-z0-9]{32}_[a-f0-9]{8})" + EndAlnum, "glsa_"),
            Prefixed("new-relic-user-key", "New Relic user API key", @"\b(?<secret>NRAK-[A-Z0-9]{27})" + EndAlnum, "NRAK-"),
            Prefixed("sentry-org-token", "Sentry organization auth token", @"\b(?<secret>sntrys_eyJ[A-Za-z0-9+/=_\-]{60,})", "sntrys_eyJ", 3.5),
            Prefixed("new-relic-insert-key", "New Relic Insights insert key", @"\b(?<secret>NRII-[A-Za-z0-9_\-]{32})" + EndWord, "NRII-", 3.5),
            new("new-relic-license-key", "New Relic ingest license key", @"\b(?<secret>[a-f0-9]{36}NRAL)" + EndAlnum, ["NRAL"])
                { Before = 40, After = 8, MinEntropy = 3.0 },
            new("honeycomb-api-key", "Honeycomb ingest or configuration key", @"\b(?<secret>hc[ax](?:ik|mk)_[a-z0-9]{58})" + EndAlnum, ["hcaik_", "hcxik_", "hcamk_", "hcxmk_"])
                { Before = 8, After = 80, MinEntropy = 3.5 },
            Prefixed("elastic-cloud-api-key", "Elastic Cloud API key", @"\b(?<secret>essu_[A-Za-z0-9+/=_\-]{40,})", "essu_", 3.5),
            Prefixed("posthog-personal-api-key", "PostHog personal API key", @"\b(?<secret>phx_[A-Za-z0-9]{43})" + EndAlnum, "phx_", 3.5),
            Prefixed("segment-public-api-token", "Segment public API token", @"\b(?<secret>sgp_[A-Za-z0-9]{64})" + EndAlnum, "sgp_", 3.5),
            new("okta-api-token", "Okta API token assigned next to an Okta name",
                @"(?i)okta[a-z0-9_.\- ]{0,24}(?:token|key)" + Assign + @"(?<secret>00[A-Za-z0-9_\-]{40})" + EndWord, ["okta"])
                { Before = 8, After = 160, MinEntropy = 3.5 },
            new("cloudflare-api-token", "Cloudflare API token or global API key assigned next to a Cloudflare name",
                @"(?i)(?:cloudflare|cf_api)[a-z0-9_.\- ]{0,24}(?:token|key)" + Assign + @"(?<secret>[A-Za-z0-9_\-]{40}|[a-f0-9]{37})" + EndWord, ["cloudflare", "cf_api"])
                { Before = 8, After = 160, MinEntropy = 3.5, Validate = SecretChecks.HasLettersAndDigits },
            new("hetzner-cloud-token", "Hetzner Cloud API token assigned next to an hcloud name",
                @"(?i)(?:hcloud|hetzner)[a-z0-9_.\- ]{0,24}token" + Assign + @"(?<secret>[A-Za-z0-9]{64})" + EndAlnum, ["hcloud", "hetzner"])
                { Before = 8, After = 160, MinEntropy = 4.0 },
            new("ngrok-authtoken", "ngrok authtoken", @"(?i)ngrok[a-z0-9_.\- ]{0,30}(?:authtoken|token|api[_\-]?key)[""' \t:=]{1,8}(?<secret>[0-9A-Za-z]{20,30}_[0-9A-Za-z]{20,30})" + EndAlnum, ["ngrok"])
                { Before = 8, After = 160, MinEntropy = 3.5 },
            Prefixed("readme-api-key", "ReadMe API key", @"\b(?<secret>rdme_[a-z0-9]{70})" + EndAlnum, "rdme_", 3.5),
            Prefixed("notion-integration-token", "Notion integration token", @"\b(?<secret>ntn_[0-9]{11}[A-Za-z0-9]{35})" + EndAlnum, "ntn_", 3.5),
            new("clickup-personal-token", "ClickUp personal API token", @"\b(?<secret>pk_[0-9]{4,12}_[A-Z0-9]{32})" + EndAlnum, ["pk_"])
                { Before = 8, After = 56, MinEntropy = 3.5 },
            new("hubspot-private-app-token", "HubSpot private app access token",
                @"\b(?<secret>pat-(?:na|eu)[12]-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})" + EndAlnum, ["pat-na", "pat-eu"])
                { Before = 8, After = 64, MinEntropy = 3.0 },
            Prefixed("typeform-personal-token", "Typeform personal access token", @"\b(?<secret>tfp_[A-Za-z0-9_\-.]{40,60})" + EndWord, "tfp_", 3.5),
            Prefixed("frameio-api-token", "Frame.io developer token", @"\b(?<secret>fio-u-[A-Za-z0-9_\-=]{64})" + EndWord, "fio-u-", 3.5),
            Prefixed("adobe-client-secret", "Adobe client secret", @"\b(?<secret>p8e-[A-Za-z0-9_\-]{32})" + EndWord, "p8e-", 3.5),
            new("cloudinary-url", "Cloudinary URL with an API secret",
                @"cloudinary://[0-9]{10,20}:(?<secret>[A-Za-z0-9_\-]{20,40})@[a-z0-9_\-]{1,64}", ["cloudinary://"])
                { Before = 8, After = 160, MinEntropy = 3.5 },
            Prefixed("databricks-token", "Databricks personal access token", @"\b(?<secret>dapi[a-f0-9]{32}(?:-[0-9])?)" + EndAlnum, "dapi"),
            Prefixed("dynatrace-api-token", "Dynatrace API token", @"\b(?<secret>dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})" + EndAlnum, "dt0c01."),
            new("datadog-api-key", "Datadog API or application key assigned next to its name",
                @"(?i)(?:datadog|dd)[_\-]?(?:api|app|application)[_\-]?key" + Assign + @"(?<secret>[a-f0-9]{32,40})" + EndAlnum,
                ["datadog", "dd_api", "dd_app", "dd-api", "dd-app", "ddapi", "ddapp"]) { Before = 16, After = 160, MinEntropy = 3.0 },
            Prefixed("linear-api-key", "Linear API key", @"\b(?<secret>lin_api_[A-Za-z0-9]{40})" + EndAlnum, "lin_api_", 3.5),
            Prefixed("figma-token", "Figma personal access token", @"\b(?<secret>figd_[A-Za-z0-9_\-]{40})" + EndWord, "figd_", 3.5),
            Prefixed("contentful-token", "Contentful personal access token", @"\b(?<secret>CFPAT-[A-Za-z0-9_\-]{43})" + EndWord, "CFPAT-", 3.5),
            Prefixed("mapbox-secret-token", "Mapbox secret access token", @"\b(?<secret>sk\.eyJ[A-Za-z0-9_\-]{50,400}\.[A-Za-z0-9_\-]{20,100})" + EndWord, "sk.eyJ", 3.5),
            Prefixed("supabase-access-token", "Supabase personal access token", @"\b(?<secret>sbp_[a-f0-9]{40})" + EndAlnum, "sbp_"),
            Prefixed("planetscale-token", "PlanetScale service token, password or OAuth token", @"\b(?<secret>pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_\-.]{32,64})" + EndWord, "pscale_", 3.5),
            Prefixed("prefect-api-key", "Prefect Cloud API key", @"\b(?<secret>pnu_[A-Za-z0-9]{36})" + EndAlnum, "pnu_", 3.5),
            Prefixed("onepassword-service-account-token", "1Password service account token", @"\b(?<secret>ops_eyJ[A-Za-z0-9+/=_\-]{100,})" + EndWord, "ops_eyJ", 3.5),

            // ── private keys ──
            PrivateKey("private-key-rsa", "RSA private key (PKCS#1 PEM)", "RSA PRIVATE KEY"),
            PrivateKey("private-key-ec", "EC private key (SEC 1 PEM)", "EC PRIVATE KEY"),
            PrivateKey("private-key-dsa", "DSA private key (PEM)", "DSA PRIVATE KEY"),
            PrivateKey("private-key-openssh", "OpenSSH private key", "OPENSSH PRIVATE KEY"),
            PrivateKey("private-key-pkcs8", "PKCS#8 private key (PEM)", "PRIVATE KEY"),
            PrivateKey("private-key-pkcs8-encrypted", "Encrypted PKCS#8 private key (PEM; its password may be near)", "ENCRYPTED PRIVATE KEY"),
            PrivateKey("private-key-pgp", "OpenPGP private key block", "PGP PRIVATE KEY BLOCK"),
            PrivateKey("private-key-sigstore", "Sigstore/Cosign encrypted private key", "ENCRYPTED SIGSTORE PRIVATE KEY"),
            PrivateKey("private-key-cosign", "Cosign encrypted private key (older label)", "ENCRYPTED COSIGN PRIVATE KEY"),
            PrivateKey("private-key-openvpn-static", "OpenVPN static key (tls-auth / tls-crypt)", "OpenVPN Static key V1"),
            PrivateKey("private-key-tss2", "TPM 2.0 wrapped private key (TSS2 PEM)", "TSS2 PRIVATE KEY"),
            new("private-key-minisign", "minisign secret key", @"untrusted comment: minisign encrypted secret key\r?\n(?<secret>[A-Za-z0-9+/]{200,220}={0,2})", ["minisign encrypted secret key"])
                { Before = 24, After = 260 },
            new("private-key-signify", "signify (OpenBSD) secret key", @"untrusted comment: [ -~]{0,80}secret key\r?\n(?<secret>RWRCSw[A-Za-z0-9+/]{140,200}={0,2})", ["RWRCSw"])
                { Before = 140, After = 220 },
            new("rsa-xml-private-key", "RSA private key in .NET XML form (<RSAKeyValue> … <D>)", @"<D>[ \t\r\n]{0,8}(?<secret>[A-Za-z0-9+/]{86,}={0,2})[ \t\r\n]{0,8}</D>", ["<D>"])
                { Before = 8, After = 1500, MinEntropy = 4.0 },
            new("jwk-private-key", "Private JSON Web Key (a \"kty\" with its private \"d\")",
                @"""d""[ \t]{0,4}:[ \t]{0,4}""(?<secret>[A-Za-z0-9_\-]{32,})""", ["\"d\""])
                { Before = 8, After = 1500, MinEntropy = 4.0, Locate = (text, m) => JsonWebKey(text, m) },
            Prefixed("nostr-private-key", "Nostr private key (nsec)", @"\b(?<secret>nsec1[02-9ac-hj-np-z]{58})" + EndAlnum, "nsec1"),
            new("private-key-ssh2", "SSH2 (RFC 4716 / SSH.com) encrypted private key", @"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", ["BEGIN SSH2 ENCRYPTED PRIVATE KEY"])
                { Before = 8, After = 64, Locate = (text, m) => PemBody(text, m, "---- END SSH2 ENCRYPTED PRIVATE KEY ----") },
            new("private-key-putty", "PuTTY private key (.ppk)", @"PuTTY-User-Key-File-[23]: [a-z0-9\-]{3,40}", ["PuTTY-User-Key-File-"])
                { Before = 8, After = 64, Locate = PuttyPrivateLines },
            new("wireguard-private-key", "WireGuard private key (PrivateKey = in a wg-quick config)",
                @"PrivateKey[ \t]{0,4}=[ \t]{0,4}(?<secret>[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)", ["PrivateKey"])
                { Before = 8, After = 80, MinEntropy = 4.0 },
            new("laravel-app-key", "Laravel application key (APP_KEY=base64:…)", @"APP_KEY[ \t]{0,4}=[ \t]{0,4}[""']?base64:(?<secret>[A-Za-z0-9+/]{43}=)", ["APP_KEY"])
                { Before = 8, After = 80, MinEntropy = 4.0 },
            Prefixed("age-secret-key", "age encryption secret key", @"\b(?<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})" + EndAlnum, "AGE-SECRET-KEY-1"),
            new("kubeconfig-client-key", "Client private key embedded in a kubeconfig (client-key-data)",
                @"client-key-data:[ \t]{0,4}[""']?(?<secret>[A-Za-z0-9+/=]{64,})", ["client-key-data"])
                { Before = 8, After = 16100, Validate = SecretChecks.IsBase64PrivateKey },

            // ── tokens and URLs with passwords ──
            new("jwt", "JSON Web Token (header decodes to JSON with an alg)",
                @"\b(?<secret>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})" + EndWord, ["eyJ"])
                { Before = 8, After = 10100, Validate = SecretChecks.IsJwt },
            DatabaseUrl("postgres-url", "PostgreSQL connection URL with a password", @"postgres(?:ql)?(?:\+[a-z0-9]{1,20})?", ["postgres"]),
            DatabaseUrl("mysql-url", "MySQL / MariaDB connection URL with a password", @"(?:mysql|mariadb)(?:\+[a-z0-9]{1,20})?", ["mysql", "mariadb"]),
            DatabaseUrl("mongodb-url", "MongoDB connection URL with a password", @"mongodb(?:\+srv)?", ["mongodb"]),
            DatabaseUrl("redis-url", "Redis connection URL with a password", @"rediss?", ["redis"]),
            DatabaseUrl("amqp-url", "AMQP (RabbitMQ) connection URL with a password", @"amqps?", ["amqp"]),
            DatabaseUrl("ldap-url", "LDAP URL with a bind password", @"ldaps?", ["ldap"]),
            DatabaseUrl("smtp-url", "SMTP URL with a password", @"smtps?", ["smtp"]),
            DatabaseUrl("sqlserver-url", "SQL Server URL with a password", @"(?:sqlserver|mssql)", ["sqlserver", "mssql"]),
            DatabaseUrl("clickhouse-url", "ClickHouse URL with a password", @"clickhouse(?:\+[a-z0-9]{1,20})?", ["clickhouse"]),
            DatabaseUrl("neo4j-url", "Neo4j / Bolt URL with a password", @"(?:neo4j|bolt)(?:\+s|\+ssc)?", ["neo4j", "bolt"]),
            new("jdbc-url-password", "JDBC URL with a password parameter",
                @"(?i)\bjdbc:[a-z0-9]{2,20}:[^\s""'<>]{0,300}[?&;]password=(?<secret>[^&;\s""'<>]{4,200})", ["jdbc:"])
                { Before = 8, After = 520, Validate = p => !p.Contains("pass", StringComparison.OrdinalIgnoreCase) },
            new("kafka-jaas-password", "Password in a Kafka SASL JAAS configuration",
                @"LoginModule[ \t]{1,8}required[^;]{0,300}\bpassword[ \t]{0,4}=[ \t]{0,4}(?:\\?"")(?<secret>[^""\\\s]{4,200})\\?""", ["LoginModule"])
                { Before = 8, After = 400 },
            DatabaseUrl("url-credentials", "HTTP(S) or FTP URL with a user and password", @"(?:https?|s?ftp)", ["://"]),

            // ── last: anything random assigned to a name that says secret ──
            new("generic-secret-assignment", "High-entropy value assigned to a password, secret, token or key name",
                @"(?i)[a-z0-9_.\-]{0,40}(?:passw(?:or)?d|pwd|secret|token|api[_.\-]?key|access[_.\-]?key|auth[_.\-]?key|private[_.\-]?key|credentials?)[a-z0-9_.\-]{0,40}" +
                @"[""']?[ \t]{0,8}(?::=|=>|=|:)[ \t]{0,8}(?:[""'](?<secret>[^""'\s]{12,200})[""']|(?<secret>[A-Za-z0-9+/=_\-.!@#%^&*~]{16,200})(?:[\s,;]|$))",
                ["passw", "pwd", "secret", "token", "apikey", "api_key", "api-key", "api.key", "access_key", "accesskey", "access-key", "access.key",
                 "auth_key", "authkey", "auth-key", "auth.key", "private_key", "privatekey", "private-key", "private.key", "credential"])
                { Before = 96, After = 320, MinEntropy = 3.5, Validate = IsGenericSecret, Gate = AssignmentGate },
        };
        return rules;
    }

    private static SecretRule Github(string id, string description, string prefix) =>
        new(id, description, @"\b(?<secret>" + prefix + "[A-Za-z0-9]{36})" + EndAlnum, [prefix])
        {
            Before = 8,
            After = 64,
            Validate = Checksums.IsValidCrc32Base62Token,
        };

    private static SecretRule PrivateKey(string id, string description, string label) =>
        new(id, description, "-----BEGIN " + label + "-----", ["BEGIN " + label])
        {
            Before = 16,
            After = 64,
            Locate = (text, m) => PemBody(text, m, "-----END " + label + "-----"),
        };

    // user:password@host; the password is the secret (4 characters or more: shorter ones are doc shorthand such as
    // 'pw'). A user may be empty, as Redis URLs have it.
    private static SecretRule DatabaseUrl(string id, string description, string scheme, string[] keywords) =>
        new(id, description,
            @"(?i)\b" + scheme + @"://(?<user>[^:/@\s""'<>\\]{0,100}):(?<secret>[^@/\s""'<>\\]{4,200})@[A-Za-z0-9._\-\[\]]{1,255}", keywords)
        {
            Before = 24,
            After = 600,
            Gate = UrlPasswordGate,
            // "passwd", "My%20Pass", "p4ssword": a password that names itself is a template or a test
            Validate = p => !p.Contains("pass", StringComparison.OrdinalIgnoreCase) && !p.Contains("ssword", StringComparison.OrdinalIgnoreCase)
                            && !p.Contains("pwd", StringComparison.OrdinalIgnoreCase),
        };

    // ── keyword gates: cheap necessary conditions on a keyword hit's bytes (SecretRule.Gate) ──

    private static bool IsAsciiSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0x0B or 0x0C;

    // generic: the name the keyword is in ends (at most 48 name characters on) in an assignment ["']? blanks (":=",
    // "=>", '=' or ':') blanks, and a value long enough: 12 characters in quotes or 16 bare ones
    private static bool AssignmentGate(ReadOnlySpan<byte> text, int start, int end)
    {
        var i = end;
        var limit = Math.Min(text.Length, end + 48);
        while (i < limit && (KeywordSearch.IsWordByte(text[i]) || text[i] is (byte)'.' or (byte)'-' or >= 0x80)) i++;
        if (i < text.Length && text[i] is (byte)'"' or (byte)'\'') i++;
        i = SkipBlanks(text, i);
        if (i >= text.Length || text[i] is not ((byte)':' or (byte)'=')) return false;
        // ":=" and "=>" may be one operator or an operator and the value's first character: try both
        return HasAssignedValue(text, SkipBlanks(text, i + 1))
            || (i + 1 < text.Length && text[i + 1] is (byte)'=' or (byte)'>' && HasAssignedValue(text, SkipBlanks(text, i + 2)));

        static int SkipBlanks(ReadOnlySpan<byte> text, int i)
        {
            var blanks = Math.Min(text.Length, i + 8);
            while (i < blanks && text[i] is (byte)' ' or (byte)'\t') i++;
            return i;
        }
    }

    private static bool HasAssignedValue(ReadOnlySpan<byte> text, int i)
    {
        if (i >= text.Length) return false;
        var quoted = text[i] is (byte)'"' or (byte)'\'';
        var need = quoted ? 12 : 16;
        var j = quoted ? i + 1 : i;
        if (j + need > text.Length) return false;
        foreach (var b in text.Slice(j, need))
        {
            var ok = b >= 0x80 || (quoted ? !(b is (byte)'"' or (byte)'\'' || IsAsciiSpace(b)) : IsBareValueByte(b));
            if (!ok) return false;
        }
        return true;
    }

    private static bool IsBareValueByte(byte b) =>
        char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/' or (byte)'=' or (byte)'_' or (byte)'-' or (byte)'.' or (byte)'!'
            or (byte)'@' or (byte)'#' or (byte)'%' or (byte)'^' or (byte)'&' or (byte)'*' or (byte)'~';

    // scheme://user:password@: "://" near the keyword, then a user (no ':', '/', '@', blank, quote) and a ':'
    private static bool UrlPasswordGate(ReadOnlySpan<byte> text, int start, int end)
    {
        var window = text[start..Math.Min(text.Length, start + 32)];
        var sep = window.IndexOf("://"u8);
        if (sep < 0) return false;
        var i = start + sep + 3;
        var limit = Math.Min(text.Length, i + 101);
        while (i < limit && (text[i] >= 0x80 || !(text[i] is (byte)':' or (byte)'/' or (byte)'@' or (byte)'"' or (byte)'\'' or (byte)'<' or (byte)'>' or (byte)'\\' || IsAsciiSpace(text[i])))) i++;
        return i < text.Length && text[i] == ':';
    }

    // aws…secret within 24 name characters
    private static bool AwsSecretGate(ReadOnlySpan<byte> text, int start, int end)
    {
        var limit = Math.Min(text.Length, end + 25);
        for (var i = end; i < limit; i++)
        {
            if (text[i..].Length >= 6 && Ascii.EqualsIgnoreCase(text.Slice(i, 6), "secret"u8)) return true;
            var b = text[i];
            if (!(KeywordSearch.IsWordByte(b) || b is (byte)'.' or (byte)'-' or (byte)' ' or >= 0x80)) return false;
        }
        return false;
    }

    // .netrc: "machine" as a word of its own, followed by a blank
    private static bool NetrcGate(ReadOnlySpan<byte> text, int start, int end) =>
        (start == 0 || IsAsciiSpace(text[start - 1]) || text[start - 1] >= 0x80) && end < text.Length && text[end] is (byte)' ' or (byte)'\t';

    // Mailchimp: 32 lowercase hex digits, "-us", a digit
    private static bool MailchimpGate(ReadOnlySpan<byte> text, int start, int end) =>
        start > 0 && text[start..].StartsWith("-us"u8) && char.IsAsciiHexDigitLower((char)text[start - 1])
        && end < text.Length && char.IsAsciiDigit((char)text[end]);

    /// The largest PEM block body read (a 16384-bit RSA key is about 12 KiB of base64).
    private const int MaxPemBody = 64 * 1024;

    /// A PEM block's body between the BEGIN line <paramref name="begin"/> matched and <paramref name="end"/>; the block
    /// must be complete and its body base64 (after "Header: value" lines), real newlines or "\n" escapes (a key in a
    /// JSON string or a source literal). Documentation's "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END" is not a key.
    internal static SecretSpan? PemBody(string text, Match begin, string end)
    {
        var bodyStart = begin.Index + begin.Length;
        var limit = Math.Min(text.Length, bodyStart + MaxPemBody);
        var base64 = 0;
        var first = -1;
        var last = -1;
        var i = bodyStart;
        // line by line until the END line; any line that is neither a header nor base64 ends the search, so the cost
        // of one BEGIN is bounded by its own block however the text around it looks
        while (i < limit)
        {
            var rest = text.AsSpan(i, Math.Min(limit - i, MaxPemLine));
            var nl = rest.IndexOfAny('\n', '\\');
            if (nl < 0 && rest.Length == MaxPemLine) return null; // no PEM line is this long
            var line = nl < 0 ? rest : rest[..nl];
            var trimmed = line.Trim(PemLineNoise);
            if (trimmed.StartsWith(end, StringComparison.Ordinal))
                return base64 < 64 || first < 0 ? null : new SecretSpan(begin.Index, first, last - first);
            if (trimmed.Length > 0)
            {
                if (trimmed.IndexOfAnyExcept(Base64Chars) >= 0)
                {
                    // headers (Proc-Type, DEK-Info, Version, Comment) come before the body; anything else is not a key
                    if (base64 > 0 || !trimmed.Contains(':') || trimmed.Contains("-----", StringComparison.Ordinal)) return null;
                }
                else
                {
                    var offset = i + (line.Length - line.TrimStart(PemLineNoise).Length);
                    if (first < 0) first = offset;
                    last = offset + trimmed.Length;
                    base64 += trimmed.Length;
                }
            }
            if (nl < 0) return null;
            i += nl;
            // the separator: a newline, or an escaped one in a string literal ("\n", "\r")
            if (text[i] == '\\') i += i + 1 < text.Length && text[i + 1] is 'n' or 'r' ? 2 : 1;
            else i++;
        }
        return null;
    }

    private const int MaxPemLine = 4096;
    private const string PemLineNoise = " \t\r\"',+";
    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static SecretSpan? ServiceAccountKey(string text, Match m)
    {
        // a service account key file says so: "type": "service_account"; look within the JSON object around the key
        var from = Math.Max(0, m.Index - 8192);
        var to = Math.Min(text.Length, m.Index + 16384);
        if (text.IndexOf("service_account", from, to - from, StringComparison.Ordinal) < 0) return null;
        return PemBody(text, m, "-----END PRIVATE KEY-----");
    }

    // a JWK's private member "d" in the same JSON object as a "kty" (the key type every JWK has)
    private static SecretSpan? JsonWebKey(string text, Match m)
    {
        var from = Math.Max(0, m.Index - 2048);
        var to = Math.Min(text.Length, m.Index + m.Length + 2048);
        if (text.IndexOf("\"kty\"", from, to - from, StringComparison.Ordinal) < 0) return null;
        var g = m.Groups["secret"];
        var secret = g.Value;
        if (SecretChecks.IsPlaceholder(secret)) return null;
        return new SecretSpan(g.Index, g.Index, g.Length);
    }

    // PuTTY key files: "Private-Lines: N" then N lines of base64 (the key, encrypted or not)
    private static SecretSpan? PuttyPrivateLines(string text, Match m)
    {
        const string marker = "Private-Lines:";
        var limit = Math.Min(text.Length, m.Index + 16384); // public lines of a 4096-bit RSA key are under 1 KiB
        var at = text.IndexOf(marker, m.Index, limit - m.Index, StringComparison.Ordinal);
        if (at < 0) return null;
        var lineEnd = text.IndexOf('\n', at, limit - at);
        if (lineEnd < 0 || !int.TryParse(text.AsSpan(at + marker.Length, lineEnd - at - marker.Length).Trim(), out var lines) || lines is < 1 or > 200) return null;
        var start = lineEnd + 1;
        var pos = start;
        for (var n = 0; n < lines; n++)
        {
            var next = text.IndexOf('\n', pos, limit - pos);
            var stop = next < 0 ? limit : next;
            foreach (var c in text.AsSpan(pos, stop - pos).TrimEnd('\r'))
                if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')) return null;
            pos = next < 0 ? limit : next + 1;
        }
        var length = text.AsSpan(start, pos - start).TrimEnd().Length;
        return length < 32 ? null : new SecretSpan(m.Index, start, length);
    }

    // the first part of a Discord bot token is the bot's user ID (a snowflake: 17 to 20 digits) in base64
    private static bool IsDiscordBotToken(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || SecretChecks.DecodeBase64(token[..dot]) is not { } id) return false;
        return id.Length is >= 17 and <= 20 && id.All(b => b is >= (byte)'0' and <= (byte)'9');
    }

    // a generic value must look random: letters and digits, not a UUID (identifiers), not a path or a dotted name
    private static bool IsGenericSecret(string value)
    {
        if (!SecretChecks.HasLettersAndDigits(value)) return false;
        if (value.Length == 36 && value[8] == '-' && value[13] == '-' && value[18] == '-' && value[23] == '-') return false;
        if (value.StartsWith('/') || value.StartsWith("./", StringComparison.Ordinal) || value.Contains("://", StringComparison.Ordinal)) return false;
        // short hex is an identifier (.NET PublicKeyToken="b77a5c561934e089", a short commit id), not a 128-bit secret
        if (value.Length < 32 && value.All(char.IsAsciiHexDigit)) return false;
        // CONSTANT_NAMES and expressions of them (WINHTTP_ERROR_BASE+185)
        if (value.Contains('_') && value.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '_' or '+' or '.' or '*')) return false;
        // qualified names: ed25519.Ed25519PrivateKey, exports2.CONNECTION_TOKEN_CHARS, settings.SECRET
        if (IsQualifiedName(value.TrimEnd(',', ';'))) return false;
        // words: CURLOPTTYPE_STRINGPOINT+5, PMSV1_0_CHANGEPASSWORD_REQUEST, TMsv10ChangepasswordRequest are names in
        // code; 8 letters of one case in a row happen in about 2% of random 20-character tokens
        return LongestCaseRun(value) < 8;
    }

    private static bool IsQualifiedName(string value)
    {
        var parts = value.Split('.');
        return parts.Length >= 2 && parts.All(p => p.Length > 0 && (char.IsAsciiLetter(p[0]) || p[0] == '_') && p.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));
    }

    private static int LongestCaseRun(string value)
    {
        int longest = 0, run = 0;
        var upper = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetter(c) && (run == 0 || char.IsAsciiLetterUpper(c) == upper))
            {
                run++;
                upper = char.IsAsciiLetterUpper(c);
            }
            else
            {
                run = char.IsAsciiLetter(c) ? 1 : 0;
                upper = char.IsAsciiLetterUpper(c);
            }
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
