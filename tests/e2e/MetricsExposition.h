#pragma once

// The Prometheus text exposition format, version 0.0.4, as the e2e_admin suite checks GET
// /metrics against it: strictly, line by line, every departure from the format named.

#include <map>
#include <set>
#include <string>
#include <vector>

/// A sample's labels, by name.
using Labels = std::map<std::string, std::string>;

/// One sample line: its labels and its value.
struct Sample
{
    Labels labels;    ///< the labels between the braces
    double value = 0; ///< the value after them
};

/// The lines of one metric family: its # TYPE, how many # HELP and # TYPE lines it had, its samples.
struct Family
{
    std::string type;            ///< counter or gauge, as its # TYPE line says
    int helps = 0;               ///< # HELP lines seen (one is right)
    int types = 0;               ///< # TYPE lines seen (one is right)
    std::vector<Sample> samples; ///< in the order of the page
};

/// A /metrics page, parsed; `problems` lists every way it departs from the format.
struct Exposition
{
    std::map<std::string, Family> families; ///< by metric name
    std::vector<std::string> problems;      ///< "line N '...': what is wrong", in the order found
    std::string text;                       ///< the page as it came

    /// The value of the one sample `name` with exactly `labels`; fails the test when there is none.
    double value(const std::string& name, const Labels& labels = {}) const;

    /// The label values `label` takes in the samples of `name` ("(none)" for a sample without it).
    std::set<std::string> labelValues(const std::string& name, const std::string& label) const;
};

/// `name{label="value",...}`, for messages.
std::string sampleName(const std::string& name, const Labels& labels);

/// Parses `page` line by line and records every departure from the format as this suite reads
/// it: every family has exactly one # HELP and one # TYPE line before its samples, all its lines
/// form one group, TYPE is counter or gauge, a counter's name ends in _total, a sample is
/// name{label="value",...} value with no timestamp, labels unique per family.
Exposition parseExposition(const std::string& page);

/// `lines`, each followed by a line feed.
std::string joinLines(const std::vector<std::string>& lines);
