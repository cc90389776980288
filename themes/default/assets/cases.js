/*
 * cases.js: on /cases/, the topic and year links filter the cards in place
 * (both at once, kept in the URL as ?tag=&year=) instead of opening the
 * one-topic or one-year page they link to.  Without this script those
 * pages are the filter.  A long listing is split into pages: the filter
 * then applies to the cards of the page shown, says so in the count, and
 * stays on when the reader moves to another page.
 */
(function () {
  'use strict';

  var grid = document.querySelector('.case-grid');
  if (!grid || !window.URLSearchParams || !history.pushState) return;
  var cards = Array.prototype.slice.call(grid.querySelectorAll('.case-card'));
  var links = Array.prototype.slice.call(
    document.querySelectorAll('.case-filter a[data-tag], .case-filter a[data-year]'));
  var count = document.getElementById('case-count');
  /* The folded topic filter names the topic chosen. */
  var fold = document.querySelector('.filter-fold');
  var now = fold && fold.querySelector('.filter-now');
  var allLink = fold && fold.querySelector('a[data-tag=""]');
  var allTopics = allLink ? allLink.textContent : '';
  var none = document.getElementById('case-none');
  var pages = Array.prototype.slice.call(document.querySelectorAll('.pagination a'));
  var total = count ? count.textContent : '';
  var state = { tag: '', year: '' };
  pages.forEach(function (a) { a.setAttribute('data-href', a.getAttribute('href')); });

  function tagsOf(card) {
    return Array.prototype.map.call(card.querySelectorAll('.tags a'),
      function (a) { return a.textContent; });
  }

  function apply() {
    var n = 0;
    cards.forEach(function (c) {
      var ok = (!state.tag || tagsOf(c).indexOf(state.tag) >= 0) &&
        (!state.year || c.getAttribute('data-year') === state.year);
      c.hidden = !ok;
      if (ok) n++;
    });
    links.forEach(function (a) {
      var on = a.hasAttribute('data-tag') ?
        a.getAttribute('data-tag') === state.tag :
        a.getAttribute('data-year') === state.year;
      if (on) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    });
    var parts = [(pages.length ? '本页 ' : '共 ') + n + ' 个案例'];
    if (state.tag) parts.push('主题：' + state.tag);
    if (state.year) parts.push(state.year + ' 年度');
    if (count) count.textContent = state.tag || state.year ? parts.join(' · ') : total;
    if (now) now.textContent = state.tag || allTopics;
    if (none) none.hidden = n > 0;
    var qs = query();
    pages.forEach(function (a) { a.setAttribute('href', a.getAttribute('data-href') + qs); });
  }

  function query() {
    var p = new URLSearchParams();
    if (state.tag) p.set('tag', state.tag);
    if (state.year) p.set('year', state.year);
    var qs = p.toString();
    return qs ? '?' + qs : '';
  }

  function fromUrl() {
    var p = new URLSearchParams(location.search);
    state.tag = p.get('tag') || '';
    state.year = p.get('year') || '';
    apply();
  }

  links.forEach(function (a) {
    a.addEventListener('click', function (e) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
        return;
      e.preventDefault();
      if (a.hasAttribute('data-tag')) state.tag = a.getAttribute('data-tag');
      else state.year = a.getAttribute('data-year');
      if (fold && fold.contains(a)) fold.open = false;
      history.pushState(null, '', query() || location.pathname);
      apply();
    });
  });
  window.addEventListener('popstate', fromUrl);
  fromUrl();
})();
