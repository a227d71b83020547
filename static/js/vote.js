// The congress vote form: quorum, result and every rule of the server's vote validation, shown live
// as the numbers are typed. The shares, bounds and messages come from the page (data attributes and
// the JSON block #vote-rules, rendered from approvals/rules/congress.py in the reader's language: the
// same patterns the server's findings use); the server decides when the form is sent. A vote the
// server would refuse is never shown as passed (green): the rules it breaks are listed instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-vote]");
  var rulesBlock = document.getElementById("vote-rules");
  if (!form || !rulesBlock) return;
  var rules = JSON.parse(rulesBlock.textContent);

  var quorum = [Number(form.getAttribute("data-quorum-num")), Number(form.getAttribute("data-quorum-den"))];
  var passing = [Number(form.getAttribute("data-passing-num")), Number(form.getAttribute("data-passing-den"))];
  var quorumBox = document.getElementById("quorum-status");
  var resultBox = document.getElementById("result-status");
  var castBox = document.getElementById("cast-status");
  var ballotBox = document.getElementById("ballot-status");
  var problemsBox = document.getElementById("vote-problems");
  var membersLabel = document.getElementById("members-label");
  var membersHint = document.getElementById("members-hint");
  var submitButton = document.getElementById("vote-submit");
  var headcount = Number(form.getAttribute("data-headcount"));
  var assemblyAllowed = form.getAttribute("data-assembly-allowed") === "yes";
  var minMembers = Number(form.getAttribute("data-min-representatives"));
  var minShare = [Number(form.getAttribute("data-min-share-num")), Number(form.getAttribute("data-min-share-den"))];
  // rules/congress._NAME_SEPARATORS: names in one box are separated by new lines, commas, 、 or ;
  var separators = /[\n\r,，、;；]+/;

  function value(name) {
    var input = form.elements[name];
    return input && typeof input.value === "string" ? input.value.trim() : "";
  }

  // A count as CountField reads it: a whole number (int() also takes a sign), else "bad"; blank is null.
  function count(name) {
    var text = value(name);
    if (!text) return null;
    return /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  }

  function known(n) {
    return n !== null && !isNaN(n);
  }

  // A catalogue pattern with its values: "{key}" (the form's own messages) or "%(key)s" (the rules').
  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}|%\((\w+)\)s/g, function (_, a, b) {
      return String(values[a || b]);
    }).replace(/%%/g, "%");
  }

  function message(name, values) {
    return fill(form.getAttribute("data-msg-" + name), values);
  }

  function labelled(name, text) {
    return message("field", {label: rules.labels[name], message: text});
  }

  function rule(key, values) {
    return fill(rules.messages[key], values || {});
  }

  function show(box, kind, text) {
    box.className = "alert py-2 mb-2 alert-" + kind;
    box.textContent = text;
  }

  function chosen(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }

  function names(text) {
    return text.split(separators).map(function (n) { return n.trim(); }).filter(function (n) { return n; });
  }

  // Every rule the server applies (rules/congress.vote_problems, held_on_problems, ballot_problems and
  // the session documents), on what is typed so far; a blank field is "missing", not a broken rule.
  function check(c, body, members) {
    var broken = [], missing = [];
    Object.keys(rules.labels).forEach(function (name) {
      if (!value(name)) missing.push(rules.labels[name]);
    });
    if (!body) missing.unshift(form.getAttribute("data-label-body-type"));
    if (!chosen("secret_ballot")) missing.push(form.getAttribute("data-label-method"));
    ["total_members", "present", "yes", "no", "abstain"].forEach(function (name) {
      var n = c[name];
      if (n !== null && isNaN(n)) broken.push(labelled(name, rules.messages.integer));
      else if (known(n) && n < 0) broken.push(labelled(name, rule("people_non_negative")));
      else if (known(n) && n > rules.max_people) broken.push(labelled(name, rule("people_at_most", {maximum: rules.max_people})));
    });
    ["ballots_issued", "ballots_returned", "ballots_valid"].forEach(function (name) {
      var n = c[name];
      if (n !== null && isNaN(n)) broken.push(labelled(name, rules.messages.integer));
      else if (known(n) && n < 0) broken.push(labelled(name, rule("ballots_non_negative")));
      else if (known(n) && n > rules.max_people) broken.push(labelled(name, rule("ballots_at_most", {maximum: rules.max_people})));
    });
    var day = value("held_on");
    if (/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      if (day > rules.today) broken.push(rule("not_in_future", {held_on: day, today: rules.today}));
      else if (rules.submitted_on && day < rules.submitted_on) {
        broken.push(rule("not_before_submission", {held_on: day, submitted: rules.submitted_on}));
      }
    }
    if (body === "general_assembly" && headcount >= rules.threshold) {
      broken.push(rule("congress_required", {headcount: headcount, threshold: rules.threshold}));
    }
    var total = c.total_members, present = c.present;
    var cast = (c.yes || 0) + (c.no || 0) + (c.abstain || 0);
    if (known(total)) {
      if (body === "general_assembly" && headcount < rules.threshold && total > 0 && total <= rules.max_people && total !== headcount) {
        broken.push(rule("assembly_all_workers", {total: total, headcount: headcount}));
      } else if (headcount < total && total <= rules.max_people) {
        broken.push(rule("within_headcount", {members: members, total: total, headcount: headcount}));
      }
      if (total < 1) broken.push(rule("positive", {members: members}));
      if (known(present) && present > total) {
        broken.push(rule("present_not_above_total", {present: present, members: members, total: total}));
      }
      var undersized = body === "workers_congress" &&
        (total < minMembers || total * minShare[1] < headcount * minShare[0]);
      if (total > 0 && total <= headcount && undersized && !value("explanation")) {
        broken.push(rule("explanation_required", {total: total, minimum: minMembers, headcount: headcount,
          share: 100 * minShare[0] / minShare[1]}));
      }
    }
    if (value("explanation").length > rules.explanation_max) {
      broken.push(rule("explanation_at_most_chars", {maximum: rules.explanation_max}));
    }
    var counted = [c.yes, c.no, c.abstain].every(known);
    if (known(present) && counted && cast > present) {
      broken.push(rule("votes_not_above_present", {cast: cast, present: present}));
    }
    ballotProblems(c, counted, cast).forEach(function (p) { broken.push(p); });
    var chair = value("chair");
    if (chair.length > rules.name_max) broken.push(labelled("chair", rule("name_at_most_chars", {maximum: rules.name_max})));
    var listed = names(value("scrutineers"));
    if (listed.length > rules.max_scrutineers) {
      broken.push(rule("scrutineers_at_most", {maximum: rules.max_scrutineers}));
    } else {
      var long = listed.filter(function (n) { return n.length > rules.name_max; });
      if (long.length) broken.push(rule("scrutineer_at_most_chars", {maximum: rules.name_max, name: long[0].slice(0, rules.name_max)}));
      var twice = listed.filter(function (n, i) { return listed.indexOf(n) !== i; })
        .filter(function (n, i, all) { return all.indexOf(n) === i; }).sort();
      if (twice.length) broken.push(rule("scrutineers_distinct", {names: twice.join(form.getAttribute("data-msg-separator"))}));
    }
    Object.keys(rules.documents).forEach(function (kind) {
      var input = form.elements[kind];
      var chosenFile = input && input.files && input.files.length > 0;
      if (!chosenFile && !input.hasAttribute("data-uploaded")) missing.push(rules.documents[kind]);
    });
    return {broken: broken, missing: missing};
  }

  // rules/congress.ballot_problems: issued <= present, returned <= issued, valid <= returned,
  // yes + no + abstain = valid.
  function ballotProblems(c, counted, cast) {
    var issued = c.ballots_issued, returned = c.ballots_returned, valid = c.ballots_valid, found = [];
    if (known(issued) && known(c.present) && issued > c.present) found.push(rule("issued_not_above_present", {issued: issued, present: c.present}));
    if (known(returned) && known(issued) && returned > issued) found.push(rule("returned_not_above_issued", {returned: returned, issued: issued}));
    if (known(valid) && known(returned) && valid > returned) found.push(rule("valid_not_above_returned", {valid: valid, returned: returned}));
    if (known(valid) && counted && cast !== valid) found.push(rule("votes_equal_valid", {cast: cast, valid: valid}));
    return found;
  }

  function showBallots(c, counted, cast) {
    if (!ballotBox) return;
    if (!known(c.ballots_issued) || !known(c.ballots_returned) || !known(c.ballots_valid)) {
      show(ballotBox, "secondary", message("ballots-waiting", {}));
      return;
    }
    var found = ballotProblems(c, counted, cast);
    if (found.length) {
      show(ballotBox, "danger", found.join(" "));
    } else {
      show(ballotBox, "success", message("ballots-ok", {issued: c.ballots_issued, returned: c.ballots_returned,
        valid: c.ballots_valid, invalid: c.ballots_returned - c.ballots_valid}));
    }
  }

  function showProblems(found) {
    if (!problemsBox) return;
    problemsBox.textContent = "";
    if (!found.broken.length && !found.missing.length) {
      problemsBox.className = "d-none";
      return;
    }
    var title = document.createElement("div");
    var list = document.createElement("ul");
    list.className = "mb-0 ps-3";
    if (found.broken.length) {
      problemsBox.className = "alert alert-danger py-2 mb-2";
      // one message per plural form of the language (ngettext in the template): "1 rule", "2 rules"
      title.textContent = message(found.broken.length === 1 ? "refused-one" : "refused-other", {n: found.broken.length});
      found.broken.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
    } else {
      problemsBox.className = "alert alert-secondary py-2 mb-2";
      title.textContent = message("missing", {});
      var item = document.createElement("li");
      item.textContent = found.missing.join(form.getAttribute("data-msg-separator"));
      list.appendChild(item);
    }
    problemsBox.appendChild(title);
    problemsBox.appendChild(list);
  }

  function update() {
    var body = chosen("body_type");
    var members = form.getAttribute("data-members-" + (body || "workers_congress"));
    if (membersLabel) membersLabel.textContent = membersLabel.getAttribute("data-template").replace("{members}", members);
    var c = {};
    ["total_members", "present", "yes", "no", "abstain", "ballots_issued", "ballots_returned", "ballots_valid"]
      .forEach(function (name) { c[name] = count(name); });
    var total = c.total_members, present = c.present, yes = c.yes;
    var quorumShare = quorum[0] + "/" + quorum[1], passingShare = passing[0] + "/" + passing[1];
    // The membership rules of rules/congress.vote_problems as a hint beside the members' count.
    var hint = "";
    if (known(total) && total && body === "general_assembly" && assemblyAllowed && total !== headcount) {
      hint = message("assembly-all", {headcount: headcount});
    } else if (known(total) && total && body === "workers_congress" && total <= headcount &&
               (total < minMembers || total * minShare[1] < headcount * minShare[0])) {
      hint = message("undersized", {min: minMembers, headcount: headcount, share: 100 * minShare[0] / minShare[1]});
    }
    if (membersHint) membersHint.textContent = hint;
    var found = check(c, body, members);
    var met = null;
    if (known(total) && total > 0 && known(present) && present > total) {
      // more present than members: no quorum can be judged (the server refuses the count itself)
      show(quorumBox, "warning", message("result-refused", {}));
    } else if (known(total) && total > 0 && known(present)) {
      // present >= total * n / d, in integers: the smallest attendance that makes a quorum
      var minPresent = Math.floor((total * quorum[0] + quorum[1] - 1) / quorum[1]);
      met = present * quorum[1] >= total * quorum[0];
      show(quorumBox, met ? "success" : "danger", message(met ? "quorum-met" : "quorum-missed",
        {present: present, members: members, share: quorumShare, min: minPresent}));
    } else {
      show(quorumBox, "secondary", message("waiting", {}));
    }
    if (chosen("secret_ballot") === "no") {
      show(resultBox, "danger", message("open-vote", {}));
    } else if (found.broken.length) {
      // The server refuses the vote as typed: no result is foretold, the rules it breaks are listed.
      show(resultBox, "warning", message("result-refused", {}));
    } else if (met === false) {
      show(resultBox, "secondary", message("result-invalid", {}));
    } else if (known(total) && total > 0 && known(yes)) {
      // yes > total * n / d: the smallest yes count that passes
      var minYes = Math.floor(total * passing[0] / passing[1]) + 1;
      var passed = yes * passing[1] > total * passing[0];
      // Green only for a vote the server would record as it is: nothing missing either.
      var kind = passed ? (found.missing.length ? "info" : "success") : "danger";
      show(resultBox, kind, message(passed ? "passed" : "rejected",
        {yes: yes, members: members, share: passingShare, min: minYes}));
    } else {
      show(resultBox, "secondary", message("result-waiting", {}));
    }
    var counted = [c.yes, c.no, c.abstain].every(known);
    var cast = (c.yes || 0) + (c.no || 0) + (c.abstain || 0);
    if (known(present) && (known(c.yes) || known(c.no) || known(c.abstain))) {
      castBox.textContent = message("cast", {cast: cast, present: present});
    } else {
      castBox.textContent = "";
    }
    showBallots(c, counted, cast);
    showProblems(found);
    // The server would refuse the vote as typed: the button waits (blocked.js), its reason short, as the list of
    // what is missing or broken stands just above it (showProblems).
    var listed = (found.broken.length ? found.broken : found.missing).length;  // as many as the list names
    var reason = listed ? message(listed === 1 ? "blocked-one" : "blocked-other", {n: listed}) : "";
    if (window.Blocked) window.Blocked.set(submitButton, reason);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
