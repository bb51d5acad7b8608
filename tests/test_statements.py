from annbook.parser.statements import split_statements, split_top_level, strip_comments


def test_one_definition_per_line_with_flags():
    (st,) = split_statements("tau = 10.0 : population")
    assert st.text == "tau = 10.0" and st.flags == ["population"]


def test_semicolons_and_comments_separate_definitions():
    statements = split_statements("a = 1.0 ; b = 2.0  # comment\n# only a comment\n c = 3")
    assert [s.text for s in statements] == ["a = 1.0", "b = 2.0", "c = 3"]


def test_several_flags_and_valued_flags():
    (st,) = split_statements("tau*dr/dt + r = sum(exc) : min=0.0, max=2*x, implicit")
    assert st.text == "tau*dr/dt + r = sum(exc)"
    assert st.flags == ["min=0.0", "max=2*x", "implicit"]


def test_conditional_keeps_its_colons_and_gives_the_flags():
    (st,) = split_statements("r = if x > 0: 1.0 else: 0.0 : init=1.0")
    assert st.text == "r = if x > 0: 1.0 else: 0.0" and st.flags == ["init=1.0"]


def test_nested_conditional_without_flags():
    (st,) = split_statements("a = if x > 0: 1 else: if x < 0: -1 else: 0")
    assert st.flags == []


def test_multi_line_conditional_is_joined():
    (st,) = split_statements("r = if x > 0:\n    1.0\nelse:\n    0.0 : int")
    assert st.text == "r = if x > 0: 1.0 else: 0.0" and st.flags == ["int"]


def test_open_parenthesis_continues_a_definition():
    (st,) = split_statements("r = (a +\n b)")
    assert st.text == "r = (a + b)"


def test_split_top_level_ignores_nested_separators():
    assert split_top_level("f(a, b), c", ",") == ["f(a, b)", " c"]


def test_a_line_starting_with_an_operator_continues_the_definition():
    (st,) = split_statements("tau * dmp/dt + mp = 2.0\n    + baseline + noise : implicit")
    assert st.text == "tau * dmp/dt + mp = 2.0 + baseline + noise" and st.flags == ["implicit"]
    assert st.source == "tau * dmp/dt + mp = 2.0 + baseline + noise : implicit"


def test_continuations_keep_the_flags_of_every_line():
    (st,) = split_statements("r = a : init=1.0\n  - b * c")
    assert st.text == "r = a - b * c" and st.flags == ["init=1.0"]
    first, second = split_statements("r = a +\n  b\nx += 1")
    assert first.text == "r = a + b" and second.text == "x += 1"


def test_a_line_with_an_assignment_never_continues():
    assert [s.text for s in split_statements("r = 1\n-x += 2\nfoo")] == ["r = 1", "-x += 2", "foo"]


def test_strip_comments_of_a_condition():
    assert strip_comments("\n  # spike when\n  v > vt  # mV\n") == "v > vt"
    assert strip_comments("# only a comment") == ""
