"""What a plan's process diagram shows: the BPMN of the version it runs on, the task(s) waiting now
and the path taken so far, element ids as bpmn-js knows them.

The path is rebuilt from the human-task mirror: between two tasks done one after the other, the
engine went the only way the process allows without passing another user task (through gateways,
the risk decision, the call of the working-group process). Pure: no database, no Flask.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 -- only our own process files, stored with their version
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape, unescape

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
USER_TASK = "userTask"
Node = tuple[str, str]  # (process id, element id)


@dataclass
class Process:
    """One executable process of a BPMN file: its flow nodes and sequence flows."""

    id: str
    file: str
    name: str = ""
    kinds: dict[str, str] = field(default_factory=dict)  # element id -> BPMN tag without namespace
    flows: dict[str, tuple[str, str]] = field(default_factory=dict)  # flow id -> (source, target)
    calls: dict[str, str] = field(default_factory=dict)  # call activity id -> called process id
    attached: dict[str, str] = field(default_factory=dict)  # boundary event id -> the activity it sits on

    def of_kind(self, kind: str) -> list[str]:
        return [element for element, k in self.kinds.items() if k == kind]


def read_processes(sources: dict[str, str]) -> dict[str, Process]:
    """Every process of the BPMN files among `sources` (file name -> XML), by process id."""
    found: dict[str, Process] = {}
    for name, xml in sorted(sources.items()):
        if not name.endswith(".bpmn"):
            continue
        root = ET.fromstring(xml)  # noqa: S314 -- see the import
        for element in root.iter(f"{BPMN}process"):
            process = Process(element.attrib["id"], name, element.attrib.get("name", ""))
            for child in element:
                kind = child.tag.removeprefix(BPMN)
                ident = child.attrib.get("id")
                if ident is None or kind in ("laneSet", "documentation", "extensionElements"):
                    continue
                if kind == "sequenceFlow":
                    process.flows[ident] = (child.attrib["sourceRef"], child.attrib["targetRef"])
                    continue
                process.kinds[ident] = kind
                if kind == "callActivity":
                    process.calls[ident] = child.attrib.get("calledElement", "")
                if kind == "boundaryEvent":
                    process.attached[ident] = child.attrib.get("attachedToRef", "")
            found[process.id] = process
    return found


@dataclass
class Marks:
    current: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, list[str]]:
        return {"current": sorted(self.current), "taken": sorted(self.taken)}


class ProcessMap:
    """The processes as one graph: a call activity leads into the called process's start event,
    and the called process's end events leave along the call activity's outgoing flows."""

    def __init__(self, processes: dict[str, Process], main: str) -> None:
        self.processes = processes
        self.main = main
        self.edges: dict[Node, list[tuple[Node, Node | None]]] = {}  # node -> [(next node, flow as (process, id))]
        for process in processes.values():
            for flow, (source, target) in process.flows.items():
                if source in process.calls and process.calls[source] in processes:
                    continue  # leaves through the called process's end events instead (below)
                self._edge((process.id, source), (process.id, target), (process.id, flow))
        for process in processes.values():
            for activity, called_id in process.calls.items():
                called = processes.get(called_id)
                if called is None:
                    continue
                for start in called.of_kind("startEvent"):
                    self._edge((process.id, activity), (called.id, start), None)
                for end in called.of_kind("endEvent"):
                    for flow, (source, target) in process.flows.items():
                        if source == activity:
                            self._edge((called.id, end), (process.id, target), (process.id, flow))
        self.tasks = {element: (p.id, element) for p in processes.values() for element in p.of_kind(USER_TASK)}

    def _edge(self, source: Node, target: Node, flow: Node | None) -> None:
        self.edges.setdefault(source, []).append((target, flow))

    def kind(self, node: Node) -> str:
        return self.processes[node[0]].kinds.get(node[1], "")

    def path(self, source: Node, goal: Iterable[Node]) -> list[Node] | None:
        """The shortest way from source to one of goal (source itself, round a loop, included)
        through no other user task: the nodes and flows on it after source, or None."""
        goals = set(goal)
        queue: deque[Node] = deque([source])
        came: dict[Node, tuple[Node, Node | None]] = {}
        seen = {source}
        while queue:
            node = queue.popleft()
            if node != source and self.kind(node) == USER_TASK:
                continue
            for target, flow in self.edges.get(node, []):
                if target in goals:
                    steps = [target] + ([flow] if flow is not None else [])
                    while node != source:
                        steps.append(node)
                        node, via = came[node]
                        if via is not None:
                            steps.append(via)
                    return steps[::-1]
                if target not in seen:
                    seen.add(target)
                    came[target] = (node, flow)
                    queue.append(target)
        return None

    def callers(self, process_id: str) -> list[Node]:
        return [(p.id, a) for p in self.processes.values() for a, called in p.calls.items() if called == process_id]


def diagram_marks(
    processes: dict[str, Process],
    main: str,
    *,
    done: list[str],
    waiting: list[str],
    finished: bool = False,
    engine_ran: Iterable[str] = (),
) -> dict[str, Marks]:
    """Marks per process id: `done` are the user tasks completed, in order; `waiting` those open now;
    `engine_ran` automatic steps off the main path that ran (e.g. a timer's escalation); `finished`
    when the process has ended."""
    graph = ProcessMap(processes, main)
    marks = {pid: Marks() for pid in processes}

    def mark(nodes: Iterable[Node], how: str = "taken") -> None:
        for process_id, element in nodes:
            getattr(marks[process_id], how).add(element)
            if how == "current" and process_id != main:  # the call activity waits with its tasks
                for caller in graph.callers(process_id):
                    marks[caller[0]].current.add(caller[1])

    sequence = [graph.tasks[t] for t in done if t in graph.tasks]
    now = [graph.tasks[t] for t in waiting if t in graph.tasks]
    starts = [(main, s) for s in processes[main].of_kind("startEvent")] if main in processes else []
    previous: list[Node] = starts
    for task in sequence + now:
        for origin in previous:
            steps = graph.path(origin, [task])
            if steps is not None:
                mark(steps)
                mark([origin])
                break
        previous = [task]
    mark(sequence)
    if finished and sequence:
        ends = [(main, e) for e in processes[main].of_kind("endEvent")]
        mark(graph.path(sequence[-1], ends) or [])
    for element in engine_ran:
        mark(_branch(graph, element))
    mark(now, "current")
    for process_marks in marks.values():  # what waits now is shown as waiting, even if done before
        process_marks.taken -= process_marks.current
    return marks


def _branch(graph: ProcessMap, element: str) -> list[Node]:
    """A step the engine ran on a branch of its own: from the boundary event that started it to its end."""
    for process in graph.processes.values():
        if element not in process.kinds:
            continue
        node = (process.id, element)
        ends = [(process.id, e) for e in process.of_kind("endEvent")]
        for boundary in process.attached:
            steps = graph.path((process.id, boundary), [node])
            if steps is not None:
                return [(process.id, boundary), *steps, *(graph.path(node, ends) or [])]
    return []


_NAMED = re.compile(r'(<(?:[\w.-]+:)?(\w+)\b[^>]*?\bname=")([^"]*)(")')


def with_labels(xml: str, lanes: dict[str, str], translate: Callable[[str], str]) -> str:
    """The BPMN text for display in a reader's language: each lane named by `lanes` (its name is a
    role → what a reader calls it), every other named element by `translate` of its name. The stored
    file keeps the names the engine reads."""

    def label(match: re.Match[str]) -> str:
        name = unescape(match[3])
        shown = lanes.get(name, name) if match[2] == "lane" else translate(name)
        return match[1] + escape(shown, quote=True) + match[4]

    return _NAMED.sub(label, xml)
