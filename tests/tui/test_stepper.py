"""The stepper's order is a valid walk of both passes, and it reveals one node per step."""

from __future__ import annotations

from graphlab.tui.stepper import Stepper


def test_forward_reveals_each_operation_after_its_inputs(lecture):
    trace = lecture.solve()
    stepper = Stepper(trace)
    ops = {n.id for n in trace.nodes if n.kind == "op"}
    assert {n.id for n in trace.nodes if stepper.value_known(n.id)} == {n.id for n in trace.nodes} - ops
    for _ in range(len(ops)):
        assert stepper.step()
        node = trace.nodes[stepper.current]
        assert node.kind == "op" and all(stepper.value_known(i) for i in node.inputs)
        assert stepper.value_known(node.id)
        assert not any(stepper.grad_known(n.id) for n in trace.nodes)
    assert stepper.phase == "backward"


def test_backward_reaches_a_node_only_after_all_its_consumers(lecture):
    trace = lecture.solve()
    stepper = Stepper(trace)
    stepper.finish_forward()
    reached = []
    while stepper.step():
        node_id = stepper.current
        assert all(e.dst in reached for e in trace.consumers(node_id))
        assert stepper.grad_known(node_id)
        reached.append(node_id)
    assert set(reached) == {n.id for n in trace.nodes if n.kind != "const"}
    assert reached[0] == trace.output and stepper.phase == "done"


def test_back_undoes_a_step_and_positions_are_clamped(lecture):
    trace = lecture.solve()
    stepper = Stepper(trace, position=10_000)
    assert stepper.position == stepper.total and not stepper.step()
    stepper.reset()
    assert not stepper.back() and stepper.current is None
    stepper.step()
    stepper.step()
    second = stepper.current
    stepper.step()
    stepper.back()
    assert stepper.current == second
    assert stepper.describe() == "forward 2/6"
