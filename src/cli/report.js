/* report.js - the one script of promptasm's HTML reports.  Compiled into
 * the program (html_page.c); the page's Content-Security-Policy allows
 * this text by its SHA-256 and no other script.  It holds no data of the
 * project: it reads the page's own attributes and text only.
 *
 * - Sorts a table whose header cells hold a button (check's agents).
 * - With #selftest in the address, writes what the page shows into
 *   <pre id="selftest"> as JSON, for tests/suites/run-html.sh: each section's
 *   tokens, its token boxes and its bar, what ran that should not, and
 *   the token column of check's table sorted one way and the other. */
(function () {
	"use strict";

	function cellValue(row, col, numeric) {
		var v = row.cells[col].getAttribute("data-v");
		if (v === null)
			v = row.cells[col].textContent;
		return numeric ? parseFloat(v) : v;
	}

	function sortBy(th) {
		var table = th.closest("table");
		var body = table.tBodies[0];
		var col = Array.prototype.indexOf.call(th.parentNode.children, th);
		var numeric = th.hasAttribute("data-num");
		var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
		var rows = Array.prototype.slice.call(body.rows);

		rows.sort(function (a, b) {
			var x = cellValue(a, col, numeric), y = cellValue(b, col, numeric);
			if (x < y)
				return -dir;
			if (x > y)
				return dir;
			return 0;
		});
		rows.forEach(function (r) { body.appendChild(r); });
		Array.prototype.forEach.call(th.parentNode.children, function (h) {
			h.removeAttribute("aria-sort");
		});
		th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
	}

	Array.prototype.forEach.call(document.querySelectorAll("th > button"),
		function (button) {
			button.addEventListener("click", function () {
				sortBy(button.parentNode);
			});
		});

	function tokenColumn() {
		return Array.prototype.map.call(
			document.querySelectorAll("table.agents tbody tr"),
			function (row) { return Number(row.cells[1].getAttribute("data-v")); });
	}

	/* A section shown once in the page links to its boxes. */
	function boxesOf(sec) {
		var same = sec.querySelector("[data-same]");
		var at = same ? document.getElementById(same.getAttribute("data-same")) : null;
		return (at ? at.parentNode : sec).querySelectorAll(".tx i, .tx b").length;
	}

	function selftest() {
		var out = { agents: [] };

		Array.prototype.forEach.call(document.querySelectorAll("section.agent"),
			function (agent) {
				var a = {
					name: agent.getAttribute("data-name"),
					tokens: Number(agent.getAttribute("data-tokens")),
					sections: []
				};
				Array.prototype.forEach.call(agent.querySelectorAll("section.sec"),
					function (sec) {
						var rect = agent.querySelector(
							"svg.sections rect[data-sec=\"" + sec.id + "\"]");
						a.sections.push({
							kind: sec.getAttribute("data-kind"),
							path: sec.getAttribute("data-path"),
							tokens: Number(sec.getAttribute("data-tokens")),
							boxes: boxesOf(sec),
							bar: rect ? Number(rect.getAttribute("data-tokens")) : null
						});
					});
				out.agents.push(a);
			});
		out.rows = document.querySelectorAll("table.agents tbody tr").length;
		/* check's header: the counts and which agents have a view, as
		 * drawn; the table of the files' caps */
		var counts = document.getElementById("counts");
		out.counts = counts ? counts.textContent : null;
		var views = document.getElementById("views");
		out.viewsNote = views ? views.textContent : null;
		out.files = Array.prototype.map.call(
			document.querySelectorAll("table#files tbody tr"),
			function (row) {
				return { path: row.cells[0].textContent,
				         drawn: row.getBoundingClientRect().height > 0 };
			});
		/* Sorting: by tokens, then the other way. */
		var button = document.querySelector("table.agents th:nth-child(2) > button");
		if (button) {
			button.click();
			out.ascending = tokenColumn();
			button.click();
			out.descending = tokenColumn();
		}
		/* A context page: its parts, the grid's cells, the heaviest
		 * agents. */
		out.parts = Array.prototype.map.call(
			document.querySelectorAll("table#parts tbody tr"),
			function (row) {
				return { kind: row.getAttribute("data-kind"),
				         tokens: Number(row.getAttribute("data-tokens")) };
			});
		out.cells = document.querySelectorAll("#grid .cell").length;
		/* The legend of the parts smaller than a cell, as shown. */
		var rounded = document.getElementById("rounded");
		out.rounded = rounded && rounded.getBoundingClientRect().height > 0
			? { kinds: rounded.getAttribute("data-kinds").split(" "),
			    text: rounded.textContent } : null;
		/* What the grid draws, not what it holds: each cell's box and
		 * colour, by the symbol of what fills it. */
		out.grid = Array.prototype.map.call(document.querySelectorAll("#grid .cell"),
			function (cell) {
				var r = cell.getBoundingClientRect();
				return { part: cell.getAttribute("title"),
				         w: Math.round(r.width), h: Math.round(r.height),
				         top: Math.round(r.top),
				         bg: getComputedStyle(cell).backgroundColor };
			});
		/* Numbers: where their text ends against the cell's right edge
		 * (its padding taken off), in pixels. */
		out.numbers = Array.prototype.map.call(
			document.querySelectorAll("table#parts td.num, table[id^=heavy-] td.num"),
			function (td) {
				var range = document.createRange(), cs = getComputedStyle(td);
				range.selectNodeContents(td);
				return Math.round(td.getBoundingClientRect().right -
					parseFloat(cs.paddingRight) - range.getBoundingClientRect().right);
			});
		out.heads = Array.prototype.map.call(
			document.querySelectorAll("table[id^=heavy-]"),
			function (t) { return t.querySelectorAll("thead th").length; });
		out.heavy = document.querySelectorAll("table#heavy-agents tbody tr").length;
		out.heavySkills = document.querySelectorAll("table#heavy-skills tbody tr").length;
		var conv = document.getElementById("conversion");
		out.conversion = conv && conv.getBoundingClientRect().height > 0 ? conv.textContent : null;
		/* The CLAUDE.md files loaded on demand, as drawn: directory,
		 * file, tokens */
		out.onDemand = Array.prototype.map.call(
			document.querySelectorAll("table#on-demand tbody tr"),
			function (tr) {
				var td = tr.querySelectorAll("td");
				return { dir: td[0].textContent, path: td[1].textContent,
				         tokens: +tr.getAttribute("data-tokens"),
				         shown: tr.getBoundingClientRect().height > 0 &&
				                td[2].textContent.replace(/,/g, "") ===
				                tr.getAttribute("data-tokens") };
			});
		/* What a reader is told beside the numbers: the warnings (a
		 * lower bound) and that the total is an estimate, as shown. */
		out.warnings = Array.prototype.map.call(
			document.querySelectorAll("#warnings li"),
			function (li) { return li.textContent; });
		var est = document.getElementById("estimate");
		out.estimate = est && est.getBoundingClientRect().height > 0 ? est.textContent : null;
		/* Another CLI's files: each text as drawn, sent or not, and
		 * whether its lines fit the page (wrap) */
		out.texts = Array.prototype.map.call(document.querySelectorAll("pre.sent, pre.cut"),
			function (pre) {
				var cs = getComputedStyle(pre);
				return { cut: pre.classList.contains("cut"),
				         fits: pre.scrollWidth <= pre.clientWidth + 1,
				         bg: cs.backgroundColor,
				         struck: cs.textDecorationLine.indexOf("line-through") >= 0 };
			});
		out.pwned = typeof window.pwned;
		out.scripts = document.scripts.length;
		out.images = document.images.length;
		out.frames = document.querySelectorAll("iframe, object, embed").length;
		out.handlers = document.querySelectorAll(
			"[onerror], [onload], [onclick], [onmouseover]").length;
		/* The style applies only when its hash is the one allowed. */
		out.styled = getComputedStyle(document.body).marginTop === "0px";
		out.nodes = document.getElementsByTagName("*").length;
		show("selftest", out);
	}

	function show(id, data) {
		var pre = document.createElement("pre");
		pre.id = id;
		pre.textContent = JSON.stringify(data);
		document.body.appendChild(pre);
	}

	if (location.hash === "#selftest")
		selftest();
}());
