using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Xml.Linq;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Resync;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Resync
{
    /// <summary>HttpResync and XmlExecute against a recording phone web server on 127.0.0.1.</summary>
    public class HttpTriggerTests
    {
        private static ResyncOptions Admin(ResyncMethod method, string? url, string password = "Adm1n-pw") => new ResyncOptions
        {
            Method = method,
            ProfileUrl = url,
            UserName = "admin",
            Password = Encoding.UTF8.GetBytes(password),
            Timeout = TimeSpan.FromSeconds(5),
        };

        private static ResyncResult RunOne(ResyncTarget target, ResyncOptions options)
        {
            ResyncRunner.Validate(options);
            return ResyncRunner.RunOneAsync(target, options, CancellationToken.None).GetAwaiter().GetResult()!;
        }

        [Theory]
        [InlineData("MD5")]
        [InlineData("MD5-sess")]
        [InlineData("SHA-256")]
        public void The_recording_server_checks_digest_as_curl_computes_it(string algorithm)
        {
            // Anchors the server's independent Digest check to a real client before it judges ours.
            using var server = new RecordingHttpServer("Digest", algorithm);
            var good = ProcessRunner.Tool("curl", new[] { "-s", "-o", "/dev/null", "-w", "%{http_code}", "--digest", "-u", "admin:Adm1n-pw", $"http://127.0.0.1:{server.Port}/admin/resync?x" });
            var bad = ProcessRunner.Tool("curl", new[] { "-s", "-o", "/dev/null", "-w", "%{http_code}", "--digest", "-u", "admin:nope", $"http://127.0.0.1:{server.Port}/admin/resync?x" });
            Assert.Equal("200", good.StdOut);
            Assert.Equal("401", bad.StdOut);
        }

        [Theory]
        [InlineData("MD5")]
        [InlineData("MD5-sess")]
        [InlineData("SHA-256")]
        public void HttpResync_answers_the_digest_challenge_and_the_query_carries_the_url(string algorithm)
        {
            using var server = new RecordingHttpServer("Digest", algorithm);
            var result = RunOne(new ResyncTarget("127.0.0.1", server.Port, "000E08ABCDEF", "CiscoSpa"),
                Admin(ResyncMethod.HttpResync, "tftp://192.0.2.10/spa$MA.cfg"));
            Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
            Assert.Equal(200, result.StatusCode);
            var requests = server.Requests.ToArray();
            Assert.Equal(2, requests.Length);
            Assert.All(requests, r => Assert.Equal("GET", r.Method));
            Assert.All(requests, r => Assert.Equal("/admin/resync?tftp://192.0.2.10/spa$MA.cfg", r.Target));
            Assert.False(requests[0].Authorized);
            Assert.True(requests[1].Authorized);
            Assert.Equal($"127.0.0.1:{server.Port}", requests[1].Headers["Host"]);
        }

        [Fact]
        public void XmlExecute_posts_a_well_formed_execute_object_as_the_XML_form_field()
        {
            using var server = new RecordingHttpServer("Digest", "SHA-256");
            var result = RunOne(new ResyncTarget("127.0.0.1", server.Port, model: "CP-8841-3PCC"),
                Admin(ResyncMethod.XmlExecute, "https://prov.example.com/cfg/$MA.xml?a=1&b=\"2\""));
            Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
            var request = server.Requests.Last();
            Assert.True(request.Authorized);
            Assert.Equal("POST", request.Method);
            Assert.Equal("/CGI/Execute", request.Target);
            Assert.Equal("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
            Assert.StartsWith("XML=", request.Body);
            var xml = XElement.Parse(WebUtility.UrlDecode(request.Body.Substring(4)));
            Assert.Equal("CP-8841-3PCCExecute", xml.Name.LocalName);
            var item = Assert.Single(xml.Elements("ExecuteItem"));
            Assert.Equal("Resync:https://prov.example.com/cfg/$MA.xml?a=1&b=\"2\"", (string?)item.Attribute("URL"));
        }

        [Fact]
        public void Without_a_model_the_generic_execute_root_is_used() =>
            Assert.Equal("<CiscoIPPhoneExecute><ExecuteItem URL=\"Resync:/x.xml\" /></CiscoIPPhoneExecute>", HttpTrigger.ExecuteObject(null, "/x.xml"));

        [Fact]
        public void Basic_is_used_when_the_phone_asks_for_Basic()
        {
            using var server = new RecordingHttpServer("Basic");
            var result = RunOne(new ResyncTarget("127.0.0.1", server.Port), Admin(ResyncMethod.HttpResync, null));
            Assert.Equal(ResyncOutcome.Accepted, result.Outcome);
            Assert.Equal("/admin/resync", server.Requests.Last().Target);
            Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:Adm1n-pw")), server.Requests.Last().Headers["Authorization"]);
        }

        [Fact]
        public void A_wrong_password_is_AuthFailed_without_the_password_in_the_reason()
        {
            using var server = new RecordingHttpServer("Digest", "MD5");
            var result = RunOne(new ResyncTarget("127.0.0.1", server.Port), Admin(ResyncMethod.XmlExecute, "/x.xml", "Wr0ng-pass"));
            Assert.Equal(ResyncOutcome.AuthFailed, result.Outcome);
            Assert.Equal(401, result.StatusCode);
            Assert.DoesNotContain("Wr0ng-pass", result.Reason);
            Assert.Equal(2, server.Requests.Count);
        }

        [Fact]
        public void A_Cisco_error_object_in_a_200_answer_is_Rejected()
        {
            using var server = new RecordingHttpServer("Digest", "MD5") { OkBody = "<CiscoIPPhoneError Number=\"4\"/>" };
            var result = RunOne(new ResyncTarget("127.0.0.1", server.Port), Admin(ResyncMethod.XmlExecute, "/x.xml"));
            Assert.Equal(ResyncOutcome.Rejected, result.Outcome);
            Assert.Contains("CiscoIPPhoneError Number=\"4\"", result.Reason);
        }

        [Fact]
        public void A_peer_that_does_not_speak_HTTP_is_a_ProtocolError()
        {
            using var server = new RecordingHttpServer { RawAnswer = "SSH-2.0-OpenSSH_9.2p1\r\n" };
            var result = RunOne(new ResyncTarget("127.0.0.1", server.Port), Admin(ResyncMethod.HttpResync, "/x.cfg"));
            Assert.Equal(ResyncOutcome.ProtocolError, result.Outcome);
            Assert.Contains("not HTTP: 'SSH-2.0-OpenSSH_9.2p1'", result.Reason);
        }

        [Fact]
        public void A_malformed_profile_url_stops_the_run_before_any_phone_is_contacted()
        {
            using var server = new RecordingHttpServer();
            var ex = Assert.Throws<ProvisioningException>(() => ResyncRunner.Run(new[] { new ResyncTarget("127.0.0.1", server.Port) },
                Admin(ResyncMethod.HttpResync, "http://prov.example.com/a b.cfg"), CancellationToken.None).ToList());
            Assert.Equal("InvalidProfileUrl", ex.ErrorId);
            Assert.Empty(server.Requests);
        }
    }
}
