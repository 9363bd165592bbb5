// SPDX-License-Identifier: Apache-2.0
using static Bulwark.Hygiene.Workflows.WorkflowAudit;

namespace Bulwark.Hygiene.Workflows.Tests.GitLab;

public class GitLabCiAuditorTests
{
    [Fact]
    public void Finds_images_without_digests_and_includes_without_a_pinned_ref()
    {
        Assert.Equal(
        [
            "3:13 BW-GLC-002",  // remote: a URL
            "4:14 BW-GLC-002",  // project without ref:
            "7:10 BW-GLC-002",  // ref: v1.2.0
            "13:8 BW-GLC-001",  // image: node:20
            "17:13 BW-GLC-001", // default service redis:7
            "25:11 BW-GLC-001", // image: {name: python:3.12-slim}
            "27:7 BW-GLC-001",  // service postgres:16
        ], Audits.Positions("GitLab", "gitlab-ci.yml", FileKind.GitLabCi));
    }

    [Fact]
    public void Local_template_and_sha_pinned_includes_digest_images_and_variable_images_are_clean()
    {
        Assert.Empty(Audits.Positions("GitLab", "gitlab-ci-pinned.yml", FileKind.GitLabCi));
    }
}
