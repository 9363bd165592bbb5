// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Hygiene.Tests.Secrets;

/// One planted secret: the rule that must find it, the file it is written to, the file's text, and the line reported.
internal sealed record Plant(string RuleId, string File, string Content, int Line);

/// The planted-secrets tree: one file per built-in rule, each with exactly one secret in realistic surroundings.
internal static class PlantedSecrets
{
    public static IReadOnlyList<Plant> All(int seed = 6)
    {
        var t = new FakeTokens(seed);
        var plants = new List<Plant>();
        // a one-line secret on line 3, after a comment and a blank line
        void Line(string rule, string file, string line) => plants.Add(new Plant(rule, file, $"# settings for the deploy job\n\n{line}\n", 3));
        void Block(string rule, string file, string content, int line) => plants.Add(new Plant(rule, file, content, line));

        Line("aws-access-key-id", "cloud/aws.env", $"AWS_ACCESS_KEY_ID=AKIA{t.From("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}");
        Line("aws-secret-access-key", "cloud/aws-credentials.ini", $"aws_secret_access_key = {t.Base64(40)}");
        Block("gcp-service-account-key", "cloud/gcp-sa.json",
            "{\n  \"type\": \"service_account\",\n  \"project_id\": \"shop\",\n" +
            $"  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{t.Base64(64)}\\n{t.Base64(64)}\\n-----END PRIVATE KEY-----\\n\",\n" +
            "  \"client_email\": \"deploy@shop.iam.gserviceaccount.com\"\n}\n", 4);
        Line("firebase-cloud-messaging-server-key", "cloud/fcm.env", $"FCM_SERVER_KEY=AAAA{t.Url(7)}:APA91b{t.Url(134)}");
        Line("google-api-key", "cloud/maps.yaml", $"maps_key: AIza{t.Url(35)}");
        Line("google-oauth-client-secret", "cloud/oauth.yaml", $"google_client: GOCSPX-{t.Url(28)}");
        Line("google-oauth-access-token", "cloud/curl.sh", $"curl -H 'Authorization: Bearer ya29.{t.Url(120)}' https://www.googleapis.com/drive/v3/files");
        Line("azure-storage-account-key", "cloud/azure.config",
            $"DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey={t.Base64(86)}==;EndpointSuffix=core.windows.net");
        Line("azure-shared-access-key", "cloud/servicebus.config",
            $"Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={t.Base64(43)}=");
        Line("azure-ad-client-secret", "cloud/entra.env", $"AZURE_CLIENT_SECRET={t.Alnum(3)}8Q~{t.Alnum(34)}");
        Line("alibaba-access-key-id", "cloud/alibaba.env", $"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI{t.Alnum(20)}");
        Line("digitalocean-personal-access-token", "cloud/do.env", $"DIGITALOCEAN_ACCESS_TOKEN=dop_v1_{t.Hex(64)}");
        Line("digitalocean-oauth-token", "cloud/do-oauth.env", $"DO_OAUTH=doo_v1_{t.Hex(64)}");
        Line("digitalocean-refresh-token", "cloud/do-refresh.env", $"DO_REFRESH=dor_v1_{t.Hex(64)}");
        Line("cloudflare-origin-ca-key", "cloud/cloudflare.env", $"CF_ORIGIN_CA=v1.0-{t.Hex(24)}-{t.Hex(146)}");
        Line("heroku-api-key", "cloud/heroku.env", $"HEROKU_API_KEY={t.Uuid()}");

        Line("github-personal-access-token", "forge/gh-pat.env", $"GH_CLASSIC={t.Checksummed("ghp_")}");
        Line("github-oauth-token", "forge/gh-oauth.env", $"GH_OAUTH={t.Checksummed("gho_")}");
        Line("github-user-to-server-token", "forge/gh-u2s.env", $"GH_U2S={t.Checksummed("ghu_")}");
        Line("github-server-to-server-token", "forge/gh-s2s.env", $"GH_S2S={t.Checksummed("ghs_")}");
        Line("github-refresh-token", "forge/gh-refresh.env", $"GH_REFRESH={t.Checksummed("ghr_")}");
        Line("github-fine-grained-token", "forge/gh-fine.env", $"GH_FINE=github_pat_{t.Alnum(22)}_{t.Alnum(59)}");
        Line("gitlab-personal-access-token", "forge/gitlab.env", $"GL_PAT=glpat-{t.Url(20)}");
        Line("gitlab-deploy-token", "forge/gitlab-deploy.env", $"GL_DEPLOY=gldt-{t.Url(20)}");
        Line("gitlab-runner-token", "forge/runner.toml", $"  authentication = \"glrt-{t.Url(20)}\"");
        Line("gitlab-runner-registration-token", "forge/register.sh", $"gitlab-runner register --registration-token GR1348941{t.Url(20)}");
        Line("gitlab-ci-build-token", "forge/job.env", $"CI_JOB=glcbt-{t.Alnum(2)}_{t.Url(20)}");
        Line("gitlab-pipeline-trigger-token", "forge/trigger.sh", $"curl -F ref=main -F trigger=glptt-{t.Url(20)} https://gitlab.com/api/v4/projects/1/trigger/pipeline");
        Line("gitlab-feed-token", "forge/feed.txt", $"https://gitlab.com/dashboard/projects.atom?feed=glft-{t.Url(20)}");
        Line("gitlab-incoming-mail-token", "forge/mail.env", $"INCOMING=glimt-{t.Url(25)}");
        Line("gitlab-agent-token", "forge/agent.env", $"AGENT=glagent-{t.Url(50)}");
        Line("gitlab-oauth-app-secret", "forge/oauth.env", $"GL_APP=gloas-{t.Hex(64)}");
        Line("gitlab-scim-token", "forge/scim.env", $"SCIM=glsoat-{t.Url(20)}");
        Line("gitlab-feature-flags-token", "forge/flags.env", $"UNLEASH=glffct-{t.Url(20)}");
        Line("circleci-personal-token", "ci/circle.env", $"CIRCLE=CCIPAT_{t.Alnum(22)}_{t.Hex(40)}");
        Line("buildkite-agent-token", "ci/buildkite.env", $"BUILDKITE=bkua_{t.Hex(40)}");
        Line("sonarqube-token", "ci/sonar.properties", $"sonar.login=sqp_{t.Hex(40)}");
        Line("terraform-cloud-token", "ci/terraformrc", $"  tfc = \"{t.Alnum(14)}.atlasv1.{t.Url(65)}\"");
        Line("hashicorp-vault-service-token", "ci/vault.env", $"VAULT=hvs.{t.Url(90)}");
        Line("hashicorp-vault-batch-token", "ci/vault-batch.env", $"VAULT_BATCH=hvb.{t.Url(120)}");
        Line("doppler-token", "ci/doppler.env", $"DOPPLER=dp.pt.{t.Alnum(43)}");
        Line("pulumi-access-token", "ci/pulumi.env", $"PULUMI=pul-{t.Hex(40)}");
        Line("postman-api-key", "ci/postman.env", $"POSTMAN=PMAK-{t.Hex(24)}-{t.Hex(34)}");
        Line("jfrog-api-key", "ci/jfrog.env", $"ARTIFACTORY=AKCp{t.Alnum(69)}");
        Line("jfrog-reference-token", "ci/jfrog-ref.env", $"ARTIFACTORY_REF=cmVmdGtuOjAxOj{t.Alnum(50)}");
        Line("tailscale-key", "ci/tailscale.env", $"TS=tskey-auth-{t.Alnum(12)}-{t.Alnum(30)}");

        Line("npm-access-token", "registries/.npmrc", $"//registry.npmjs.org/:_authToken={t.Checksummed("npm_")}");
        Line("pypi-token", "registries/.pypirc", $"upload = pypi-AgEIcHlwaS5vcmc{t.Url(150)}");
        Line("testpypi-token", "registries/testpypi.cfg", $"upload = pypi-AgENdGVzdC5weXBpLm9yZw{t.Url(150)}");
        Line("nuget-api-key", "registries/push.ps1", $"dotnet nuget push pkg.nupkg -k oy2{t.LowerDigits(43)} -s https://api.nuget.org/v3/index.json");
        Line("rubygems-api-key", "registries/gem-credentials", $":rubygems_api: rubygems_{t.Hex(48)}");
        Line("clojars-deploy-token", "registries/clojars.env", $"CLOJARS=CLOJARS_{t.LowerDigits(60)}");
        Line("docker-hub-personal-access-token", "registries/docker-login.sh", $"echo dckr_pat_{t.Url(27)} | docker login -u shop --password-stdin");
        Line("docker-hub-organization-token", "registries/docker-org.env", $"DOCKER_ORG=dckr_oat_{t.Url(32)}");
        Line("npmrc-auth-token", "registries/private.npmrc", $"//npm.shop.internal/:_authToken={t.Alnum(40)}");
        Block("docker-config-identity-token", "registries/docker-identity.json",
            $"{{\n  \"auths\": {{\n    \"shop.azurecr.io\": {{\n      \"auth\": \"\",\n      \"identitytoken\": \"{t.Url(120)}\"\n    }}\n  }}\n}}\n", 5);
        Line("yarnrc-npm-auth-token", "registries/.yarnrc.yml", $"npmAuthToken: \"{t.Alnum(40)}\"");
        Block("nuget-config-password", "registries/NuGet.Config",
            $"<configuration>\n  <packageSourceCredentials>\n    <shop>\n      <add key=\"Username\" value=\"ci\" />\n      <add key=\"ClearTextPassword\" value=\"{t.Alnum(20)}\" />\n    </shop>\n  </packageSourceCredentials>\n</configuration>\n", 5);
        Block("maven-settings-password", "registries/settings.xml",
            $"<settings>\n  <servers>\n    <server>\n      <id>shop</id>\n      <username>ci</username>\n      <password>{t.Alnum(20)}</password>\n    </server>\n  </servers>\n</settings>\n", 6);
        Block("netrc-password", "registries/.netrc", $"machine git.shop.internal\n  login ci\n  password {t.Alnum(20)}\n", 3);
        var dockerAuth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"deploy:{t.Alnum(20)}"));
        Block("docker-config-auth", "registries/docker-config.json",
            $"{{\n  \"auths\": {{\n    \"registry.shop.internal\": {{\n      \"auth\": \"{dockerAuth}\"\n    }}\n  }}\n}}\n", 4);

        Line("slack-bot-token", "chat/slack.env", $"SLACK_BOT=xoxb-{t.Digit(11)}-{t.Digit(12)}-{t.Alnum(24)}");
        Line("slack-user-token", "chat/slack-user.env", $"SLACK_USER=xoxp-{t.Digit(11)}-{t.Digit(11)}-{t.Digit(12)}-{t.Hex(32)}");
        Line("slack-app-token", "chat/slack-app.env", $"SLACK_APP=xapp-1-{t.UpperDigits(11)}-{t.Digit(13)}-{t.Hex(64)}");
        Line("slack-config-token", "chat/slack-config.env", $"SLACK_CONFIG=xoxe.xoxp-1-{t.Alnum(150)}");
        Line("slack-webhook-url", "chat/notify.sh", $"curl -X POST https://hooks.slack.com/services/T{t.UpperDigits(9)}/B{t.UpperDigits(9)}/{t.Alnum(24)} -d @msg.json");
        Line("microsoft-teams-webhook-url", "chat/teams.txt",
            $"https://shop.webhook.office.com/webhookb2/{t.Uuid()}@{t.Uuid()}/IncomingWebhook/{t.Hex(32)}/{t.Uuid()}");
        Line("discord-webhook-url", "chat/discord.txt", $"https://discord.com/api/webhooks/{t.Digit(18)}/{t.Url(68)}");
        var botId = Convert.ToBase64String(Encoding.ASCII.GetBytes("1" + t.Digit(17))).TrimEnd('=');
        Line("discord-bot-token", "chat/discord-bot.py", $"client.run(\"{botId}.{t.Url(6)}.{t.Url(38)}\")  # discord");
        Line("telegram-bot-token", "chat/telegram.env", $"BOT={t.Digit(10)}:AA{t.Url(33)}");
        Line("twilio-api-key", "chat/twilio.env", $"TWILIO_API_KEY=SK{t.Hex(32)}");
        Line("twilio-auth-token", "chat/twilio-auth.env", $"TWILIO_AUTH_TOKEN={t.Hex(32)}");
        Line("sendgrid-api-key", "chat/sendgrid.env", $"SENDGRID=SG.{t.Url(22)}.{t.Url(43)}");
        Line("mailgun-api-key", "chat/mailgun.env", $"MAILGUN=key-{t.Hex(32)}");
        Line("mailchimp-api-key", "chat/mailchimp.env", $"MAILCHIMP={t.Hex(32)}-us14");
        Line("stripe-secret-key", "pay/stripe.env", $"STRIPE=sk_live_{t.Alnum(24)}");
        Line("stripe-restricted-key", "pay/stripe-rk.env", $"STRIPE_RK=rk_live_{t.Alnum(24)}");
        Line("stripe-webhook-secret", "pay/stripe-hook.env", $"STRIPE_HOOK=whsec_{t.Alnum(32)}");
        Line("square-access-token", "pay/square.env", $"SQUARE=sq0atp-{t.Url(22)}");
        Line("square-oauth-secret", "pay/square-oauth.env", $"SQUARE_OAUTH=sq0csp-{t.Url(43)}");
        Line("braintree-access-token", "pay/braintree.env", $"BRAINTREE=access_token$production${t.LowerDigits(16)}${t.Hex(32)}");
        Line("razorpay-key", "pay/razorpay.env", $"RAZORPAY=rzp_live_{t.Alnum(14)}");
        Line("flutterwave-secret-key", "pay/flutterwave.env", $"FLW=FLWSECK-{t.Hex(32)}-X");
        Line("shippo-live-token", "pay/shippo.env", $"SHIPPO=shippo_live_{t.Hex(40)}");
        Line("shopify-access-token", "pay/shopify.env", $"SHOPIFY=shpat_{t.Hex(32)}");
        Line("shopify-custom-app-token", "pay/shopify-custom.env", $"SHOPIFY_CUSTOM=shpca_{t.Hex(32)}");
        Line("shopify-private-app-token", "pay/shopify-private.env", $"SHOPIFY_PRIVATE=shppa_{t.Hex(32)}");
        Line("shopify-shared-secret", "pay/shopify-shared.env", $"SHOPIFY_SHARED=shpss_{t.Hex(32)}");

        Line("openai-api-key", "ai/openai.env", $"OPENAI=sk-proj-{t.Url(40)}T3BlbkFJ{t.Url(40)}");
        Line("anthropic-api-key", "ai/anthropic.env", $"ANTHROPIC=sk-ant-api03-{t.Url(93)}AA");
        Line("anthropic-admin-key", "ai/anthropic-admin.env", $"ANTHROPIC_ADMIN=sk-ant-admin01-{t.Url(93)}AA");
        Line("huggingface-token", "ai/hf.env", $"HF=hf_{t.Letters(34)}");
        Line("replicate-api-token", "ai/replicate.env", $"REPLICATE=r8_{t.Alnum(37)}");
        Line("groq-api-key", "ai/groq.env", $"GROQ=gsk_{t.Alnum(52)}");
        Line("langsmith-api-key", "ai/langsmith.env", $"LANGSMITH=lsv2_pt_{t.Hex(32)}_{t.Hex(10)}");
        Line("sentry-user-token", "ops/sentry.env", $"SENTRY=sntryu_{t.Hex(64)}");
        Line("grafana-cloud-token", "ops/grafana.env", $"GRAFANA_CLOUD=glc_{t.Alnum(60)}");
        Line("grafana-service-account-token", "ops/grafana-sa.env", $"GRAFANA_SA=glsa_{t.Alnum(32)}_{t.Hex(8)}");
        Line("new-relic-user-key", "ops/newrelic.env", $"NEW_RELIC=NRAK-{t.UpperDigits(27)}");
        Line("databricks-token", "ops/databricks.env", $"DATABRICKS=dapi{t.Hex(32)}");
        Line("dynatrace-api-token", "ops/dynatrace.env", $"DYNATRACE=dt0c01.{t.UpperDigits(24)}.{t.UpperDigits(64)}");
        Line("datadog-api-key", "ops/datadog.env", $"DD_API_KEY={t.Hex(32)}");
        Line("linear-api-key", "ops/linear.env", $"LINEAR=lin_api_{t.Alnum(40)}");
        Line("figma-token", "ops/figma.env", $"FIGMA=figd_{t.Url(40)}");
        Line("contentful-token", "ops/contentful.env", $"CONTENTFUL=CFPAT-{t.Url(43)}");
        Line("mapbox-secret-token", "ops/mapbox.env", $"MAPBOX=sk.eyJ{t.Url(60)}.{t.Url(22)}");
        Line("supabase-access-token", "ops/supabase.env", $"SUPABASE=sbp_{t.Hex(40)}");
        Line("planetscale-token", "ops/planetscale.env", $"PSCALE=pscale_tkn_{t.Url(40)}");
        Line("prefect-api-key", "ops/prefect.env", $"PREFECT=pnu_{t.Alnum(36)}");
        Line("onepassword-service-account-token", "ops/op.env", $"OP_SERVICE_ACCOUNT=ops_eyJ{t.Url(150)}");

        void Pem(string rule, string label, string headers = "") =>
            Block(rule, $"keys/{rule}.pem", $"Some notes first.\n-----BEGIN {label}-----\n{headers}{t.PemLines(4)}\n-----END {label}-----\n", 2);
        Pem("private-key-rsa", "RSA PRIVATE KEY");
        Pem("private-key-ec", "EC PRIVATE KEY");
        Pem("private-key-dsa", "DSA PRIVATE KEY");
        Pem("private-key-openssh", "OPENSSH PRIVATE KEY");
        Pem("private-key-pkcs8", "PRIVATE KEY");
        Pem("private-key-pkcs8-encrypted", "ENCRYPTED PRIVATE KEY");
        Pem("private-key-pgp", "PGP PRIVATE KEY BLOCK", "Version: GnuPG v2\n\n");
        Pem("private-key-sigstore", "ENCRYPTED SIGSTORE PRIVATE KEY");
        Pem("private-key-cosign", "ENCRYPTED COSIGN PRIVATE KEY");
        Block("private-key-ssh2", "keys/ssh2.key",
            $"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"deploy\"\n{t.PemLines(3)}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n", 1);
        Block("private-key-putty", "keys/deploy.ppk",
            $"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n{t.Base64(64)}\n{t.Base64(20)}\n" +
            $"Private-Lines: 1\n{t.Base64(44)}\nPrivate-MAC: {t.Hex(64)}\n", 1);
        Block("wireguard-private-key", "keys/wg0.conf", $"[Interface]\nAddress = 10.0.0.2/32\nPrivateKey = {t.Base64(42)}A=\n", 3);
        Line("laravel-app-key", "web/.env", $"APP_KEY=base64:{t.Base64(43)}=");
        Line("age-secret-key", "keys/age.txt", $"AGE-SECRET-KEY-1{t.From("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}");
        var clientKey = Convert.ToBase64String(Encoding.ASCII.GetBytes($"-----BEGIN EC PRIVATE KEY-----\n{t.PemLines(2)}\n-----END EC PRIVATE KEY-----\n"));
        Block("kubeconfig-client-key", "keys/kubeconfig",
            $"apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: {clientKey}\n", 6);

        var jwt = $"{FakeTokens.Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{FakeTokens.Base64Url($"{{\"sub\":\"{t.Alnum(10)}\",\"iat\":1700000000}}")}.{t.Url(43)}";
        Line("jwt", "web/session.http", $"Cookie: session={jwt}");
        Line("postgres-url", "web/database.env", $"DATABASE_URL=postgres://shop:{t.Alnum(16)}@db.shop.internal:5432/shop");
        Line("mysql-url", "web/mysql.env", $"MYSQL_URL=mysql://shop:{t.Alnum(16)}@mysql.shop.internal/shop");
        Line("mongodb-url", "web/mongo.env", $"MONGO_URL=mongodb+srv://shop:{t.Alnum(16)}@cluster0.shop.mongodb.net/shop");
        Line("redis-url", "web/redis.env", $"REDIS_URL=redis://:{t.Alnum(16)}@cache.shop.internal:6379/0");
        Line("amqp-url", "web/amqp.env", $"BROKER_URL=amqp://shop:{t.Alnum(16)}@rabbit.shop.internal:5672/");
        Line("url-credentials", "web/remote.txt", $"git remote add origin https://deploy:{t.Alnum(20)}@git.shop.internal/shop.git");
        Line("generic-secret-assignment", "web/settings.py", $"SESSION_SECRET = \"{t.Alnum(24)}\"");
        // ── round 6 rules ──
        Line("tencent-cloud-secret-id", "cloud/tencent.env", $"TENCENTCLOUD_SECRET_ID=AKID{t.Alnum(32)}");
        Line("yandex-cloud-api-key", "cloud/yandex.env", $"YC_API_KEY=AQVN{t.Url(36)}");
        Line("scaleway-access-key", "cloud/scaleway.env", $"SCW_ACCESS_KEY=SCW{t.UpperDigits(17)}");
        Line("google-oauth-refresh-token", "cloud/adc.json", $"  \"refresh_token\": \"1//0{t.Url(100)}\",");
        Line("akamai-edgegrid-token", "cloud/edgerc", $"client_token = akab-{t.LowerDigits(16)}-{t.LowerDigits(16)}");
        Line("heroku-api-key-v2", "cloud/heroku-v2.env", $"HEROKU_API_KEY=HRKU-{t.Url(60)}");
        Line("fly-io-token", "cloud/fly.env", $"FLY_API_TOKEN=\"FlyV1 fm2_{t.Alnum(120)}\"");
        Line("netlify-access-token", "cloud/netlify.env", $"NETLIFY_AUTH_TOKEN=nfp_{t.Alnum(36)}");
        Line("render-api-key", "cloud/render.env", $"RENDER_API_KEY=rnd_{t.Alnum(32)}");
        Line("supabase-secret-key", "cloud/supabase-secret.env", $"SUPABASE_SECRET=sb_secret_{t.Url(31)}");
        Line("neon-api-key", "cloud/neon.env", $"NEON_API_KEY=napi_{t.LowerDigits(64)}");
        Line("deno-deploy-token", "cloud/deno.env", $"DENO_DEPLOY_TOKEN=ddp_{t.Alnum(36)}");
        Line("azure-devops-pat", "cloud/azdo.env", $"AZURE_DEVOPS_EXT_PAT={t.Alnum(52)}JQQJ99{t.Alnum(18)}AZDO{t.Alnum(4)}");
        Line("azure-sas-token", "cloud/sas.txt",
            $"https://shopdata.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2026-01-01T00:00:00Z&spr=https&sig={t.Alnum(43)}%3D");
        Line("azure-app-configuration-secret", "cloud/appconfig.env",
            $"APPCONFIG=Endpoint=https://shop.azconfig.io;Id={t.Alnum(4)}-l0-s0:{t.Alnum(20)};Secret={t.Base64(43)}=");
        Line("atlassian-api-token", "forge/jira.env", $"JIRA_API_TOKEN=ATATT3{t.Url(180)}");
        Line("bitbucket-app-password", "forge/bitbucket.env", $"BITBUCKET_APP_PASSWORD=ATBB{t.Alnum(32)}");
        Line("circleci-project-token", "ci/circle-project.env", $"CIRCLE_PROJECT=CCIPRJ_{t.Alnum(22)}_{t.Hex(40)}");
        Line("infracost-api-key", "ci/infracost.env", $"INFRACOST_API_KEY=ico-{t.Alnum(32)}");
        Line("dbt-cloud-token", "ci/dbt.env", $"DBT_CLOUD=dbtc_{t.Url(48)}");
        Line("sourcegraph-access-token", "ci/sourcegraph.env", $"SRC_ACCESS_TOKEN=sgp_{t.Hex(16)}_{t.Hex(40)}");
        Line("snyk-api-token", "ci/snyk.env", $"SNYK_TOKEN={t.Uuid()}");
        Line("crates-io-api-token", "registries/credentials.toml", $"token = \"cio{t.Alnum(32)}\"");
        Line("packagist-token", "registries/auth.env", $"PACKAGIST=packagist_ort_{t.Hex(68)}");
        Line("sidekiq-license", "registries/bundle.env", $"BUNDLE_ENTERPRISE__CONTRIBSYS__COM={t.Hex(8)}:{t.Hex(8)}");
        Line("slack-legacy-token", "chat/slack-legacy.env", $"SLACK_LEGACY=xoxs-1-{t.Alnum(40)}");
        Line("slack-config-refresh-token", "chat/slack-refresh.env", $"SLACK_REFRESH=xoxe-1-{t.Alnum(150)}");
        Line("dingtalk-webhook-url", "chat/dingtalk.txt", $"https://oapi.dingtalk.com/robot/send?access_token={t.Hex(64)}");
        Line("zapier-webhook-url", "chat/zapier.txt", $"curl -X POST https://hooks.zapier.com/hooks/catch/{t.Digit(7)}/{t.LowerDigits(6)}/ -d @event.json");
        Line("brevo-api-key", "chat/brevo.env", $"BREVO_API_KEY=xkeysib-{t.Hex(64)}-{t.Alnum(16)}");
        Line("brevo-smtp-key", "chat/brevo-smtp.env", $"BREVO_SMTP=xsmtpsib-{t.Hex(64)}-{t.Alnum(16)}");
        Line("mailersend-api-token", "chat/mailersend.env", $"MAILERSEND=mlsn.{t.Hex(64)}");
        Line("square-production-access-token", "pay/square-eaaa.env", $"SQUARE_ACCESS_TOKEN=EAAA{t.Url(60)}");
        Line("plaid-access-token", "pay/plaid.env", $"PLAID=access-production-{t.Uuid()}");
        Line("easypost-api-key", "pay/easypost.env", $"EASYPOST=EZAK{t.Hex(54)}");
        Line("duffel-live-token", "pay/duffel.env", $"DUFFEL=duffel_live_{t.Url(43)}");
        Line("perplexity-api-key", "ai/perplexity.env", $"PPLX=pplx-{t.Alnum(48)}");
        Line("xai-api-key", "ai/xai.env", $"XAI=xai-{t.Alnum(80)}");
        Line("openrouter-api-key", "ai/openrouter.env", $"OPENROUTER=sk-or-v1-{t.Hex(64)}");
        Line("pinecone-api-key", "ai/pinecone.env", $"PINECONE=pcsk_{t.Alnum(6)}_{t.Alnum(60)}");
        Line("langfuse-secret-key", "ai/langfuse.env", $"LANGFUSE=sk-lf-{t.Uuid()}");
        Line("wandb-api-key", "ai/wandb.env", $"WANDB_API_KEY={t.Hex(40)}");
        Line("sentry-org-token", "ops/sentry-org.env", $"SENTRY_ORG=sntrys_eyJ{t.Url(100)}");
        Line("new-relic-insert-key", "ops/newrelic-insert.env", $"NR_INSERT=NRII-{t.Url(32)}");
        Line("new-relic-license-key", "ops/newrelic-license.env", $"NEW_RELIC_LICENSE_KEY={t.Hex(36)}NRAL");
        Line("honeycomb-api-key", "ops/honeycomb.env", $"HONEYCOMB=hcaik_{t.LowerDigits(58)}");
        Line("elastic-cloud-api-key", "ops/elastic.env", $"ELASTIC=essu_{t.Alnum(80)}");
        Line("posthog-personal-api-key", "ops/posthog.env", $"POSTHOG=phx_{t.Alnum(43)}");
        Line("segment-public-api-token", "ops/segment.env", $"SEGMENT=sgp_{t.Alnum(64)}");
        Line("okta-api-token", "ops/okta.env", $"OKTA_API_TOKEN=00{t.Url(40)}");
        Line("cloudflare-api-token", "ops/cloudflare.env", $"CLOUDFLARE_API_TOKEN={t.Alnum(40)}");
        Line("hetzner-cloud-token", "ops/hcloud.env", $"HCLOUD_TOKEN={t.Alnum(64)}");
        Line("ngrok-authtoken", "ops/ngrok.sh", $"ngrok config add-authtoken {t.Alnum(25)}_{t.Alnum(21)}");
        Line("readme-api-key", "ops/readme.env", $"README=rdme_{t.LowerDigits(70)}");
        Line("notion-integration-token", "ops/notion.env", $"NOTION=ntn_{t.Digit(11)}{t.Alnum(35)}");
        Line("clickup-personal-token", "ops/clickup.env", $"CLICKUP=pk_{t.Digit(8)}_{t.UpperDigits(32)}");
        Line("hubspot-private-app-token", "ops/hubspot.env", $"HUBSPOT=pat-na1-{t.Uuid()}");
        Line("typeform-personal-token", "ops/typeform.env", $"TYPEFORM=tfp_{t.Url(44)}");
        Line("frameio-api-token", "ops/frameio.env", $"FRAMEIO=fio-u-{t.Url(64)}");
        Line("adobe-client-secret", "ops/adobe.env", $"ADOBE=p8e-{t.Url(32)}");
        Line("cloudinary-url", "ops/cloudinary.env", $"CLOUDINARY_URL=cloudinary://{t.Digit(15)}:{t.Url(27)}@shop");
        Pem("private-key-openvpn-static", "OpenVPN Static key V1");
        Pem("private-key-tss2", "TSS2 PRIVATE KEY");
        Block("private-key-minisign", "keys/minisign.key", $"untrusted comment: minisign encrypted secret key\n{t.Base64(212)}\n", 2);
        Block("private-key-signify", "keys/signify.sec", $"untrusted comment: signify secret key\nRWRCSwAAACo{t.Base64(177)}=\n", 2);
        Block("rsa-xml-private-key", "keys/key.xml",
            $"<RSAKeyValue>\n  <Modulus>{t.Base64(172)}</Modulus>\n  <Exponent>AQAB</Exponent>\n  <D>{t.Base64(170)}==</D>\n</RSAKeyValue>\n", 4);
        Line("jwk-private-key", "keys/jwk.json", $"{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{t.Url(43)}\",\"y\":\"{t.Url(43)}\",\"d\":\"{t.Url(43)}\"}}");
        Line("nostr-private-key", "keys/nostr.env", $"NOSTR_NSEC=nsec1{t.From("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)}");
        Line("ldap-url", "web/ldap.env", $"LDAP_URL=ldaps://cn=admin:{t.Alnum(16)}@ldap.shop.internal");
        Line("smtp-url", "web/smtp.env", $"SMTP_URL=smtp://mailer:{t.Alnum(16)}@smtp.shop.internal:587");
        Line("sqlserver-url", "web/mssql.env", $"MSSQL_URL=sqlserver://sa:{t.Alnum(16)}@db.shop.internal:1433");
        Line("clickhouse-url", "web/clickhouse.env", $"CLICKHOUSE_URL=clickhouse://default:{t.Alnum(16)}@ch.shop.internal:9000/db");
        Line("neo4j-url", "web/neo4j.env", $"NEO4J_URI=neo4j+s://neo4j:{t.Alnum(16)}@graph.shop.internal:7687");
        Line("jdbc-url-password", "web/application.properties", $"spring.datasource.url=jdbc:postgresql://db.shop.internal:5432/shop?user=shop&password={t.Alnum(16)}");
        Line("kafka-jaas-password", "web/kafka.properties",
            $"sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"shop\" password=\"{t.Alnum(20)}\";");
        return plants;
    }
}
