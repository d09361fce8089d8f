using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;

// Renders one profile per synthetic account for a fixed time per format, single-threaded, and prints
// profiles/s and bytes allocated per profile. The generation target (20,000 profiles/s through pprov
// generate on 2 cores, file writes included) leaves the writer a small share of each profile's budget.
double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;

var template = new List<KeyValuePair<string, string>>
{
    new("Resync_On_Reset", "Yes"), new("Resync_Periodic", "3600"), new("Resync_Error_Retry_Delay", "600"),
    new("Profile_Rule", "https://prov.example.com/cisco/$MA.xml"), new("Primary_NTP_Server", "pool.ntp.org"),
    new("Dial_Plan_1_", "(*xx|[3469]11|0|00|[2-9]xxxxxx|1xxx[2-9]xxxxxxS0|xxxxxxxxxxxx.)"), new("Time_Zone", "GMT+01:00"),
    new("Syslog_Server", "192.0.2.10"), new("Voice_Mail_Number", "*97"), new("Text_Logo", "Example & Co"),
};
var settings = new List<KeyValuePair<string, string>> { new("PTime", "20"), new("RingingTimeout", "30"), new("Pin", "MANDATORY") };
var extra = new List<KeyValuePair<string, string>> { new("Station_Name", "Desk") };
var panasonicTemplate = new List<KeyValuePair<string, string>>
{
    new("CFG_STANDARD_FILE_PATH", "https://prov.example.com/panasonic/Config{MAC}.cfg"), new("CFG_RESYNC_FROM_SIP", "check-sync"),
    new("SIP_RGSTR_PORT_1", "5060"), new("SIP_PRXY_PORT_1", "5060"), new("REG_EXPIRE_TIME_1", "3600"), new("VM_NUMBER_1", "*97"),
    new("NTP_ADDR", "pool.ntp.org"), new("TIME_ZONE", "60"), new("SYSLOG_ADDR", "192.0.2.10"), new("ADMIN_ID", "admin"),
};
var panasonicExtra = new List<KeyValuePair<string, string>> { new("DISPLAY_NAME_2", "Desk") };

ProfileDocument Make(ProfileFormat format, long i)
{
    var account = new AccountRecord((int)(i % int.MaxValue) + 1, MacAddress.FromInt64(0x000E08000000L + i))
    {
        UserId = (1000 + i % 9000).ToString(CultureInfo.InvariantCulture),
        Password = "pw-" + i.ToString("x8", CultureInfo.InvariantCulture),
        DisplayName = "User " + i.ToString(CultureInfo.InvariantCulture),
        SipServer = "pbx.example.com",
        ExtraColumns = format == ProfileFormat.Panasonic ? panasonicExtra : format == ProfileFormat.CiscoSpa ? extra : new List<KeyValuePair<string, string>>(),
    };
    var parameters = format switch
    {
        ProfileFormat.CiscoSpa => template,
        ProfileFormat.Panasonic => panasonicTemplate,
        ProfileFormat.CiscoSep => new List<KeyValuePair<string, string>> { new("deviceSecurityMode", "1"), new("transportLayerProtocol", "2") },
        ProfileFormat.Linphone => new List<KeyValuePair<string, string>> { new("sip/media_encryption", "zrtp") },
        _ => new List<KeyValuePair<string, string>>(),
    };
    return new ProfileDocument(account, "bench", parameters, settings);
}

Console.WriteLine($"{"Format",-12} {"profiles/s",12} {"bytes/file",11} {"alloc B/file",13}");
foreach (ProfileFormat format in Enum.GetValues(typeof(ProfileFormat)))
{
    var writer = ProfileFormats.GetWriter(format);
    for (int w = 0; w < 2000; w++) writer.Render(Make(format, w)); // warm-up (JIT, tiering)
    long n = 0, size = 0;
    long allocBefore = GC.GetAllocatedBytesForCurrentThread();
    var sw = Stopwatch.StartNew();
    while (sw.Elapsed.TotalSeconds < seconds)
    {
        for (int k = 0; k < 1000; k++, n++) size += writer.Render(Make(format, n)).Length;
    }
    sw.Stop();
    long alloc = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
    Console.WriteLine($"{format,-12} {n / sw.Elapsed.TotalSeconds,12:N0} {size / n,11:N0} {alloc / n,13:N0}");
}
