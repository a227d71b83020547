// The congress vote form: quorum and result shown live as the numbers are typed.
// The shares (quorum 2/3 of all members, passing more than 1/2 of ALL members) and every message
// come from data attributes the server renders from the rule (approvals/rules/congress.py);
// nothing here is a rule of its own, and the server decides when the form is sent.
(function () {
  "use strict";
  var form = document.querySelector("form[data-vote]");
  if (!form) return;

  var quorum = [Number(form.getAttribute("data-quorum-num")), Number(form.getAttribute("data-quorum-den"))];
  var passing = [Number(form.getAttribute("data-passing-num")), Number(form.getAttribute("data-passing-den"))];
  var quorumBox = document.getElementById("quorum-status");
  var resultBox = document.getElementById("result-status");
  var castBox = document.getElementById("cast-status");
  var ballotBox = document.getElementById("ballot-status");
  var membersLabel = document.getElementById("members-label");
  var membersHint = document.getElementById("members-hint");
  var headcount = Number(form.getAttribute("data-headcount"));
  var assemblyAllowed = form.getAttribute("data-assembly-allowed") === "yes";
  var minMembers = Number(form.getAttribute("data-min-representatives"));
  var minShare = [Number(form.getAttribute("data-min-share-num")), Number(form.getAttribute("data-min-share-den"))];

  function count(name) {
    var input = form.elements[name];
    var value = input ? input.value.trim() : "";
    return /^\d+$/.test(value) ? Number(value) : null;
  }

  function message(name, values) {
    return form.getAttribute("data-msg-" + name).replace(/\{(\w+)\}/g, function (_, key) {
      return String(values[key]);
    });
  }

  function show(box, kind, text) {
    box.className = "alert py-2 mb-2 alert-" + kind;
    box.textContent = text;
  }

  function update() {
    var chosen = form.querySelector('input[name="body_type"]:checked');
    var members = form.getAttribute("data-members-" + (chosen ? chosen.value : "workers_congress"));
    if (membersLabel) membersLabel.textContent = membersLabel.getAttribute("data-template").replace("{members}", members);
    var total = count("total_members"), present = count("present"), yes = count("yes");
    var no = count("no"), abstain = count("abstain");
    var quorumShare = quorum[0] + "/" + quorum[1], passingShare = passing[0] + "/" + passing[1];
    // The membership rules of rules/congress.vote_problems: a 职工大会 is every worker on roll; a
    // 职工代表大会 below the usual size (rules/congress.undersized) needs a written explanation.
    var hint = "";
    if (total && chosen && chosen.value === "general_assembly" && assemblyAllowed && total !== headcount) {
      hint = message("assembly-all", {headcount: headcount});
    } else if (total && chosen && chosen.value === "workers_congress" && total <= headcount &&
               (total < minMembers || total * minShare[1] < headcount * minShare[0])) {
      hint = message("undersized", {min: minMembers, headcount: headcount, share: 100 * minShare[0] / minShare[1]});
    }
    if (membersHint) membersHint.textContent = hint;
    var met = null;
    if (total && present !== null) {
      // present >= total * n / d, in integers: the smallest attendance that makes a quorum
      var minPresent = Math.floor((total * quorum[0] + quorum[1] - 1) / quorum[1]);
      met = present * quorum[1] >= total * quorum[0];
      show(quorumBox, met ? "success" : "danger", message(met ? "quorum-met" : "quorum-missed",
        {present: present, members: members, share: quorumShare, min: minPresent}));
    } else {
      show(quorumBox, "secondary", message("waiting", {}));
    }
    var method = form.querySelector('input[name="secret_ballot"]:checked');
    if (method && method.value === "no") {
      show(resultBox, "danger", message("open-vote", {}));
    } else if (met === false) {
      show(resultBox, "secondary", message("result-invalid", {}));
    } else if (total && yes !== null) {
      // yes > total * n / d: the smallest yes count that passes
      var minYes = Math.floor(total * passing[0] / passing[1]) + 1;
      var passed = yes * passing[1] > total * passing[0];
      show(resultBox, passed ? "success" : "danger", message(passed ? "passed" : "rejected",
        {yes: yes, members: members, share: passingShare, min: minYes}));
    } else {
      show(resultBox, "secondary", message("result-waiting", {}));
    }
    if (present !== null && (yes !== null || no !== null || abstain !== null)) {
      castBox.textContent = message("cast", {cast: (yes || 0) + (no || 0) + (abstain || 0), present: present});
    } else {
      castBox.textContent = "";
    }
    if (ballotBox) checkBallots(present, yes, no, abstain);
  }

  // The ballot rules of rules/congress.ballot_problems: issued <= present, returned <= issued,
  // valid <= returned, yes + no + abstain = valid. Every broken one is listed, as the server lists them.
  function checkBallots(present, yes, no, abstain) {
    var issued = count("ballots_issued"), returned = count("ballots_returned"), valid = count("ballots_valid");
    if (issued === null || returned === null || valid === null) {
      show(ballotBox, "secondary", message("ballots-waiting", {}));
      return;
    }
    var problems = [];
    var cast = (yes || 0) + (no || 0) + (abstain || 0);
    if (present !== null && issued > present) problems.push(message("issued-above-present", {issued: issued, present: present}));
    if (returned > issued) problems.push(message("returned-above-issued", {returned: returned, issued: issued}));
    if (valid > returned) problems.push(message("valid-above-returned", {valid: valid, returned: returned}));
    if (yes !== null && no !== null && abstain !== null && cast !== valid) {
      problems.push(message("cast-not-valid", {cast: cast, valid: valid}));
    }
    if (problems.length) {
      show(ballotBox, "danger", problems.join(" "));
    } else {
      show(ballotBox, "success", message("ballots-ok",
        {issued: issued, returned: returned, valid: valid, invalid: returned - valid}));
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
