/*
 * cases.js: on /cases/, the topic and year links filter the cards in place
 * (both at once, kept in the URL as ?tag=&year=) instead of opening the
 * one-topic or one-year page they link to.  Without this script those
 * pages are the filter.
 */
(function () {
  'use strict';

  var grid = document.querySelector('.case-grid');
  if (!grid || !window.URLSearchParams || !history.pushState) return;
  var cards = Array.prototype.slice.call(grid.querySelectorAll('.case-card'));
  var links = Array.prototype.slice.call(
    document.querySelectorAll('.case-filter a[data-tag], .case-filter a[data-year]'));
  var count = document.getElementById('case-count');
  var none = document.getElementById('case-none');
  var state = { tag: '', year: '' };

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
    var parts = ['共 ' + n + ' 个案例'];
    if (state.tag) parts.push('主题：' + state.tag);
    if (state.year) parts.push(state.year + ' 年度');
    if (count) count.textContent = parts.join(' · ');
    if (none) none.hidden = n > 0;
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
      var p = new URLSearchParams();
      if (state.tag) p.set('tag', state.tag);
      if (state.year) p.set('year', state.year);
      var qs = p.toString();
      history.pushState(null, '', qs ? '?' + qs : location.pathname);
      apply();
    });
  });
  window.addEventListener('popstate', fromUrl);
  fromUrl();
})();
