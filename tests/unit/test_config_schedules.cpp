// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/project.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace syntask;
using namespace syntask::config;
using nlohmann::json;

namespace {

using Lines = std::vector<std::string>;
using Pairs = std::vector<std::pair<std::string, std::string>>;

Lines problems_of(std::string_view text)
{
  try {
    build_project(parse_yaml(text, "syntask.yaml"), "syntask.yaml");
  } catch (const ConfigErrors& errors) {
    return errors.lines();
  }
  return {};
}

} // namespace

TEST_CASE("config::check_cron accepts the forms croniter reads")
{
  for (const std::string expression :
       {"* * * * *", "0 4 * * *", "*/15 0-6,18-23 * * MON-FRI", "0 0 1,15 jan-jun,dec ?", "30 2 L * *",
        "0 9 * * 5#3", "0 9 * * 5L", "0 12 ? * sun", "5-50/5 * * * 0-7", "0 0 * * * 30", "@daily", "@Hourly",
        "@yearly", "@annually", "@monthly", "@weekly", "@midnight", "  0 4 * * *  "}) {
    INFO(expression);
    CHECK(check_cron(expression).empty());
  }
}

TEST_CASE("config::check_cron names the problem")
{
  CHECK(check_cron("61 * * * *") ==
        "invalid cron expression '61 * * * *': minute value 61 out of range 0-59");
  CHECK(check_cron("0 24 * * *") == "invalid cron expression '0 24 * * *': hour value 24 out of range 0-23");
  CHECK(check_cron("0 0 0 * *") ==
        "invalid cron expression '0 0 0 * *': day-of-month value 0 out of range 1-31");
  CHECK(check_cron("0 0 * 13 *") == "invalid cron expression '0 0 * 13 *': month value 13 out of range 1-12");
  CHECK(check_cron("0 0 * * 8") ==
        "invalid cron expression '0 0 * * 8': day-of-week value 8 out of range 0-7");
  CHECK(check_cron("0 0 * * * 60") ==
        "invalid cron expression '0 0 * * * 60': second value 60 out of range 0-59");
  CHECK(check_cron("0 0 * * FUN") ==
        "invalid cron expression '0 0 * * FUN': invalid day-of-week value 'FUN'");
  CHECK(check_cron("0 0 * jan-foo *") ==
        "invalid cron expression '0 0 * jan-foo *': invalid month value 'foo'");
  CHECK(check_cron("* * *") ==
        "invalid cron expression '* * *': expected 5 fields (or 6 with seconds), got 3");
  CHECK(check_cron("") == "invalid cron expression '': expected 5 fields (or 6 with seconds), got 0");
  CHECK(check_cron("*/0 * * * *") ==
        "invalid cron expression '*/0 * * * *': invalid step '0' in the minute field");
  CHECK(check_cron("50-10 * * * *") ==
        "invalid cron expression '50-10 * * * *': invalid minute range '50-10'");
  CHECK(check_cron("1,,2 * * * *") ==
        "invalid cron expression '1,,2 * * * *': empty entry in the minute field");
  CHECK(check_cron("? * * * *") == "invalid cron expression '? * * * *': invalid minute value '?'");
  CHECK(check_cron("0 0 * * 5#6") ==
        "invalid cron expression '0 0 * * 5#6': invalid day-of-week occurrence '5#6'");
  CHECK(check_cron("@often") == "invalid cron expression '@often': unknown macro '@often'");
}

TEST_CASE("config::parse_interval reads seconds, ISO 8601 durations and H:MM:SS")
{
  CHECK(parse_interval(json(600)) == 600.0);
  CHECK(parse_interval(json(0.5)) == 0.5);
  CHECK(parse_interval(json("90")) == 90.0);
  CHECK(parse_interval(json("PT10M")) == 600.0);
  CHECK(parse_interval(json("PT1H30M")) == 5400.0);
  CHECK(parse_interval(json("P1D")) == 86400.0);
  CHECK(parse_interval(json("P1DT12H")) == 129600.0);
  CHECK(parse_interval(json("P2W")) == 1209600.0);
  CHECK(parse_interval(json("PT0.5S")) == 0.5);
  CHECK(parse_interval(json("1:30:00")) == 5400.0);
  CHECK(parse_interval(json("0:00:01.5")) == 1.5);

  for (const json& invalid :
       {json(0), json(-5), json(0.0), json("0"), json("PT0S"), json("P"), json("PT"), json("P1Y"),
        json("P1M"), json("PT1M1H"), json("PT1H1H"), json("1:60:00"), json("1:30"), json("10 minutes"),
        json(""), json(true), json(nullptr), json::array({1})}) {
    INFO(invalid.dump());
    CHECK_FALSE(parse_interval(invalid));
  }
}

TEST_CASE("config::check_timezone looks names up in the zone database")
{
  CHECK(check_timezone("UTC").empty());
  CHECK(check_timezone("Etc/UTC").empty());
  CHECK(check_timezone("Mars/Base") == "unknown time zone 'Mars/Base'");
  CHECK(check_timezone("../../etc/passwd") == "unknown time zone '../../etc/passwd'");
  CHECK(check_timezone("/etc/localtime") == "unknown time zone '/etc/localtime'");
  CHECK(check_timezone("") == "unknown time zone ''");

  // TZDIR points at another database; only files that are real zone files count.
  const auto dir = std::filesystem::temp_directory_path() / ("syntask-tz-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "Test");
  {
    std::ofstream(dir / "Test" / "Zone") << "TZif2 and the rest";
    std::ofstream(dir / "zone.tab") << "# a table, not a zone\n";
  }
  const char* previous = std::getenv("TZDIR");
  const std::string saved = previous != nullptr ? previous : "";
  ::setenv("TZDIR", dir.c_str(), 1);
  CHECK(check_timezone("Test/Zone").empty());
  CHECK(check_timezone("zone.tab") == "unknown time zone 'zone.tab'");
  CHECK(check_timezone("Test") == "unknown time zone 'Test'");
  if (previous != nullptr) {
    ::setenv("TZDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TZDIR");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("config::check_rrule")
{
  CHECK(check_rrule("FREQ=DAILY").empty());
  CHECK(check_rrule("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2").empty());
  CHECK(check_rrule("DTSTART:20250101T090000Z\nRRULE:FREQ=MONTHLY;COUNT=10").empty());
  CHECK(
      check_rrule("DTSTART;TZID=America/New_York:20250101T090000\nRRULE:FREQ=YEARLY;UNTIL=20300101").empty());
  CHECK(check_rrule("freq=hourly;byminute=0,30").empty());

  CHECK(check_rrule("INTERVAL=2") == "invalid rrule 'INTERVAL=2': FREQ is required");
  CHECK(check_rrule("FREQ=FORTNIGHTLY") == "invalid rrule 'FREQ=FORTNIGHTLY': FREQ must be one of SECONDLY, "
                                           "MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, "
                                           "YEARLY, not 'FORTNIGHTLY'");
  CHECK(check_rrule("FREQ=DAILY;BYDAYS=MO") ==
        "invalid rrule 'FREQ=DAILY;BYDAYS=MO': unknown rule part 'BYDAYS'; did you mean 'BYDAY'?");
  CHECK(check_rrule("FREQ=DAILY;INTERVAL=0") ==
        "invalid rrule 'FREQ=DAILY;INTERVAL=0': INTERVAL must be a positive integer, not '0'");
  CHECK(check_rrule("FREQ=DAILY;COUNT=x") ==
        "invalid rrule 'FREQ=DAILY;COUNT=x': COUNT must be a positive integer, not 'x'");
  CHECK(check_rrule("FREQ=DAILY;COUNT=2;UNTIL=20300101") ==
        "invalid rrule 'FREQ=DAILY;COUNT=2;UNTIL=20300101': COUNT and UNTIL cannot both be given");
  CHECK(check_rrule("FREQ=DAILY;FREQ=WEEKLY") ==
        "invalid rrule 'FREQ=DAILY;FREQ=WEEKLY': rule part 'FREQ' is given twice");
  CHECK(check_rrule("FREQ") == "invalid rrule 'FREQ': invalid rule part 'FREQ'");
  CHECK(check_rrule("DTSTART:tomorrow\nRRULE:FREQ=DAILY") ==
        "invalid rrule 'DTSTART:tomorrow\\nRRULE:FREQ=DAILY': invalid DTSTART 'DTSTART:tomorrow'");
  CHECK(check_rrule("DTSTART:20250101\nFREQ=DAILY") ==
        "invalid rrule 'DTSTART:20250101\\nFREQ=DAILY': unexpected line 'FREQ=DAILY'");
  CHECK(check_rrule("DTSTART:20250101") == "invalid rrule 'DTSTART:20250101': no RRULE line");
  CHECK(check_rrule(" ") == "invalid rrule ' ': the rule is empty");
}

TEST_CASE("config::check_schedule checks a resolved schedule item")
{
  CHECK(
      check_schedule(json{{"cron", "0 4 * * *"}, {"timezone", "UTC"}, {"active", "false"}, {"day_or", true}})
          .empty());
  CHECK(check_schedule(json{{"interval", 60}, {"anchor_date", "2025-01-01T00:00:00+02:00"}, {"slug", "s"}})
            .empty());
  CHECK(
      check_schedule(json{{"rrule", "FREQ=DAILY"}, {"parameters", {{"a", 1}}}, {"replaces", "old"}}).empty());

  CHECK(check_schedule(json{{"cron", "0 4 * * *"}, {"interval", 10}}) ==
        Pairs{{"", "exactly one of 'cron', 'interval' or 'rrule' must be given"}});
  CHECK(check_schedule(json{{"timezone", "UTC"}}) ==
        Pairs{{"", "exactly one of 'cron', 'interval' or 'rrule' must be given"}});
  CHECK(check_schedule(json("0 4 * * *")) == Pairs{{"", "a schedule must be a mapping, not a string"}});
  CHECK(check_schedule(json{{"cron", "0 4 * * *"}, {"timezon", "UTC"}}) ==
        Pairs{{"timezon", "unknown key 'timezon'; did you mean 'timezone'?"}});
  CHECK(check_schedule(json{{"cron", "0 4 * * *"}, {"anchor_date", "2025-01-01"}, {"active", 1}}) ==
        Pairs{{"anchor_date", "'anchor_date' is only valid with 'interval'"},
              {"active", "must be true or false, not a number"}});
  CHECK(check_schedule(json{{"interval", "soon"}, {"day_or", false}}) ==
        Pairs{{"interval", "invalid interval 'soon': expected a positive number of seconds, an ISO 8601 "
                           "duration such as 'PT10M', "
                           "or 'H:MM:SS'"},
              {"day_or", "'day_or' is only valid with 'cron'"}});
  CHECK(check_schedule(json{{"interval", 5}, {"anchor_date", "01/02/2025"}}) ==
        Pairs{{"anchor_date", "invalid anchor_date '01/02/2025': expected an ISO 8601 date and time such as "
                              "'2025-01-01T00:00:00Z'"}});
  CHECK(check_schedule(json{{"cron", 5}}) == Pairs{{"cron", "must be a string, not a number"}});
  // Resolved values are checked even when they look like placeholders.
  CHECK(
      check_schedule(json{{"cron", "<< $CRON >>"}}) ==
      Pairs{{"cron", "invalid cron expression '<< $CRON >>': expected 5 fields (or 6 with seconds), got 3"}});
}

TEST_CASE("config::build_project reports bad schedules at their place")
{
  CHECK(problems_of(R"(deployments:
  - name: a
    schedules:
      - cron: "61 * * * *"
      - interval: 0
      - cron: "0 4 * * *"
        timezone: Mars/Base
      - cron: "0 4 * * *"
        interval: 60
      - rrule: "FREQ=DAILY;COUNT=0"
        every: day
  - name: b
    schedule:
      interval: PT5X
)") == Lines{
           "syntask.yaml:4:15: deployments[0].schedules[0].cron: invalid cron expression '61 * * * *': "
           "minute value "
           "61 out of range 0-59",
           "syntask.yaml:5:19: deployments[0].schedules[1].interval: invalid interval '0': expected a "
           "positive "
           "number of seconds, an ISO 8601 duration such as 'PT10M', or 'H:MM:SS'",
           "syntask.yaml:7:19: deployments[0].schedules[2].timezone: unknown time zone 'Mars/Base'",
           "syntask.yaml:8:9: deployments[0].schedules[3]: exactly one of 'cron', 'interval' or 'rrule' must "
           "be given",
           "syntask.yaml:10:16: deployments[0].schedules[4].rrule: invalid rrule 'FREQ=DAILY;COUNT=0': COUNT "
           "must "
           "be a positive integer, not '0'",
           "syntask.yaml:11:9: deployments[0].schedules[4].every: unknown key 'every'",
           "syntask.yaml:14:17: deployments[1].schedule.interval: invalid interval 'PT5X': expected a "
           "positive "
           "number of seconds, an ISO 8601 duration such as 'PT10M', or 'H:MM:SS'",
       });
  CHECK(problems_of("deployments:\n  - schedule: {cron: '0 4 * * *'}\n    schedules: []\n") ==
        Lines{"syntask.yaml:2:5: deployments[0].schedule: use either 'schedule' or 'schedules', not both"});
  CHECK(problems_of("deployments:\n  - schedules: '0 4 * * *'\n") ==
        Lines{"syntask.yaml:2:16: deployments[0].schedules: must be a list, not a string"});
}
