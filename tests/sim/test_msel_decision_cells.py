"""A decision's options and their actions in spreadsheet cells: readable, and read back exactly."""

from __future__ import annotations

import pytest

from ttxsim.sim.msel.decision_cells import (
    CellError,
    read_option_actions,
    read_options,
    write_option_actions,
    write_options,
)

OPTIONS = [
    {"id": "all", "label": "Open all five exits", "actions": [
        {"action": "open_openings", "ids": ["ex_1", "ex_2"]}, {"action": "announce"}]},
    {"id": "one", "label": '"Quoted", with {braces}; and\na line break', "actions": [
        {"action": "open_openings", "ids": ["ex_1"]}, {"action": "forward_warning", "to": "police"}]},
    {"id": "odd", "label": "- looks like a bullet", "actions": [
        {"action": "order_evacuation", "zones": None}, {"action": "raise_posture", "level": 3},
        {"action": "custom", "text": "two words", "n": 1.5, "flag": True, "one": ["x"], "none": [],
         "nested": {"k": 1}, "digits": "12", "word": "null"},
        {"ids": ["no action key"]}, {"action": "announce", "quality": True}]},
]


def read_back(options):
    read = read_options(write_options(options))
    actions = read_option_actions(write_option_actions(options), [o["id"] for o in read])
    return [{**o, "actions": actions.get(o["id"], [])} for o in read]


def test_options_and_actions_read_back_exactly():
    assert read_back(OPTIONS) == OPTIONS


def test_simple_actions_are_words_a_trainer_can_edit():
    assert write_option_actions(OPTIONS[:2]).splitlines() == [
        "all: open_openings ids=ex_1,ex_2", "all: announce", "one: open_openings ids=ex_1",
        "one: forward_warning to=police"]
    assert write_options(OPTIONS[:1]) == "all: Open all five exits"


def test_a_one_item_list_is_a_list_where_the_action_takes_one():
    actions = read_option_actions("go: lock_openings ids=door\ngo: forward_warning to=police", ["go"])
    assert actions == {"go": [{"action": "lock_openings", "ids": ["door"]},
                              {"action": "forward_warning", "to": "police"}]}


def test_a_number_is_a_number_and_a_name_that_looks_like_one_stays_text():
    actions = read_option_actions("a: raise_posture level=2\na: forward_warning to=112", ["a"])
    assert actions["a"] == [{"action": "raise_posture", "level": 2},
                            {"action": "forward_warning", "to": "112"}]


@pytest.mark.parametrize(("cell", "ids", "line", "words"), [
    ("go: Go\nhold Hold", None, 2, "is not `id: label`"),
    ("x: announce", ["go"], 1, "does not start with an option id"),
    ("go: announce quality", ["go"], 1, "'quality' is not `key=value`"),
    ('go: announce quality="clear', ["go"], 1, "invalid JSON value of quality"),
    ("go: {oops", ["go"], 1, "invalid JSON action"),
])
def test_unreadable_lines_say_which_line_of_the_cell(cell: str, ids, line: int, words: str):
    with pytest.raises(CellError) as info:
        read_options(cell) if ids is None else read_option_actions(cell, ids)
    assert info.value.line == line and words in str(info.value)
    assert str(info.value).startswith(f"line {line} of the cell")
