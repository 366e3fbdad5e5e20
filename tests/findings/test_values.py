from trials.findings.values import Value, percent, whole


def test_the_registry_numbers_are_read_and_the_rest_are_not_numbers():
    assert Value.read("7.7").number == 7.7
    assert Value.read("1,234").number == 1234
    assert Value.read("-0.5").number == -0.5
    for given in ("NA", "", "< 0.001", "0.001*", None, "1.2.3"):
        assert Value.read(given).number is None
    assert Value.read(" 4.0 ").given == "4.0"  # kept as given, not as 4


def test_counts_and_shares():
    assert whole("134") == 134 and whole("NA") is None and whole("1.5") is None
    assert percent(49, 109) == "45"
    assert percent(1, 267) == "0.4"
    assert percent(3, 0) == "" and percent(None, 10) == ""
