//! Query interpretation, candidate generation, reranking, filters, facets, sorting and paging.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use annuaire_core::Categorie;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Explanation, FuzzyTermQuery, Occur, Query, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocId, DocSet, Index, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED, TantivyError, Term,
};

use crate::places::{self, GeoResolver, Place, PlaceKind, PlaceResolver};
use crate::store::{self, Fields};
use crate::{
    FacetValue, Facettes, Hit, IndexSource, Interpretation, SearchDoc, SearchError, SearchQuery,
    SearchResults, Suggestion, Tri, analysis, lexicon,
};

/// Radius around an explicit lat/lon when none is given.
const DEFAULT_POINT_RADIUS_KM: f64 = 30.0;
/// How many of the best text candidates get the precise (and costlier) name-matching score.
const RERANK: usize = 200;
/// Longest place name read at the end of the text, in words ("saint remy de provence").
const MAX_PLACE_WORDS: usize = 4;
/// Words between the text and a place that belong to neither ("excel à marseille").
const CONNECTORS: &[&str] = &[
    "a", "au", "autour", "pres", "proche", "sur", "en", "dans", "vers", "de", "du", "des", "d", "l", "le",
    "la", "les",
];
/// Autocomplete stops scanning a very short prefix's word range after this many entries.
const SUGGEST_SCAN: usize = 40_000;
/// Prefixes up to this many letters have their best completions computed at open: their word
/// ranges hold tens of thousands of entries, too many to scan at every keystroke.
const SHORT_PREFIX: usize = 2;
/// Completions kept per short prefix: the most a suggestion list asks for.
const SHORT_KEEP: usize = 50;
/// Large enough for a CSV export of 10,000 rows in one page; only the page is materialised, so
/// the bound costs normal queries nothing.
pub(crate) const MAX_PAR_PAGE: usize = 10_000;
/// Weight of a topic word's topic, times the topic's rarity.
const TOPIC_BOOST: f32 = 1.5;
/// Range of the normalised BM25 part of a text score.
const BASE_SCALE: f32 = 3.0;
/// Providers sharing a name word beyond which the word is taken as typed (no typo expansion).
const FREQUENT_WORD: u32 = 20;

/// Grid cell size in degrees, and the most cells a radius search walks before scanning all.
const CELL_DEG: f64 = 0.2;
const MAX_CELLS: i64 = 4000;

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    ((lat / CELL_DEG).floor() as i32, (lon / CELL_DEG).floor() as i32)
}

/// One (word, provider) pair of the autocomplete index.
#[derive(Clone, Copy)]
struct WordEntry {
    start: u32,
    len: u8,
    /// Position of the word in the name, and the name's length in words.
    pos: u8,
    nlen: u8,
    rank: u32,
    ord: u32,
}

/// What filters and facets read of a provider, in 8 bytes: a text search checks thousands of
/// providers scattered over the table, and at 1.3 MB for the whole country the table stays in
/// cache where a wider one made every check a memory access.
#[derive(Clone, Copy)]
struct Attr {
    /// Topic bits in the low 28 bits (the taxonomy has fewer topics), scope bits in the top 4.
    bits: u32,
    /// Interned department and region ids; 0 means unknown.
    dept: u16,
    region: u16,
}

const TOPIC_BITS: u32 = (1 << 28) - 1;

impl Attr {
    fn topics(self) -> u32 {
        self.bits & TOPIC_BITS
    }

    fn cats(self) -> u8 {
        (self.bits >> 28) as u8
    }
}

/// Facet counts being gathered: scopes per combination (16 of them), expanded at the end.
#[derive(Clone)]
struct Counts {
    total: usize,
    topics: [usize; 28],
    by_mask: [usize; 16],
    depts: Vec<usize>,
    regions: Vec<usize>,
}

/// Where a browse without text or centre finds its matches: the shortest list holding them all.
enum Source<'a> {
    List(&'a [u32]),
    All(u32),
}

/// An opened index with its in-memory side tables, all indexed by `ord`.
pub struct SearchIndex {
    searcher: Searcher,
    f: Fields,
    docs: Vec<SearchDoc>,
    name_terms: Vec<Box<[Box<str>]>>,
    /// The display name's words when their order differs from the official text's ("Isabelle
    /// Andre" for "ANDRE ISABELLE"): the name is matched in both orders.
    display_terms: HashMap<u32, Box<[Box<str>]>>,
    city_terms: Vec<Box<[Box<str>]>>,
    attrs: Vec<Attr>,
    /// Coordinates usable for a radius (commune or postal-code precision), else NaN.
    pos: Vec<(f64, f64)>,
    /// Tantivy document → `ord`, per segment in the searcher's order; the segments are those
    /// of the searcher, whose documents never change.
    seg_ords: Vec<Arc<[u32]>>,
    segment_ids: Arc<[SegmentId]>,
    /// `ord` → (segment, tantivy document).
    locations: Vec<(u32, DocId)>,
    /// Per topic, per segment: the sorted tantivy documents of providers having that topic.
    topic_docs: Vec<Vec<Arc<[DocId]>>>,
    /// (identifier key, ord) for every NDA, SIRET and SIREN made of digits, sorted.
    idents: Vec<(u64, u32)>,
    dept_codes: Vec<String>,
    region_codes: Vec<String>,
    /// Display names of those codes, looked up once rather than for every facet of every search.
    dept_labels: Vec<String>,
    region_labels: Vec<String>,
    name_rank: Vec<u32>,
    /// Words in the display name, stop words included.
    raw_len: Vec<u8>,
    /// Providers with a precise position by grid cell, and providers by department and region
    /// id: the smallest of them is what an empty-text search scans.
    grid: HashMap<(i32, i32), Vec<u32>>,
    by_dept: Vec<Vec<u32>>,
    by_region: Vec<Vec<u32>>,
    /// Providers by scope bit, by topic, and the certified ones, for browsing.
    by_cat: [Vec<u32>; 4],
    by_topic: Vec<Vec<u32>>,
    certified: Vec<u32>,
    /// Every provider in name order: the page of a browse is read off it.
    by_name: Vec<u32>,
    /// Facet counts of a browse without any filter: certified only, and everyone.
    browse_all: [Counts; 2],
    /// Name term → number of providers whose name has it.
    name_df: HashMap<Box<str>, u32>,
    city_vocab: HashSet<Box<str>>,
    /// Autocomplete: every name word of every certified provider, sorted by word then by how
    /// good a completion it is, with the words laid out in one string for a cache-friendly scan.
    words: Vec<WordEntry>,
    arena: String,
    /// Best completions of every prefix of at most SHORT_PREFIX letters, providers in order.
    short: HashMap<Box<str>, Box<[u32]>>,
    resolver: Box<dyn PlaceResolver>,
    source: IndexSource,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("documents", &self.docs.len()).finish_non_exhaustive()
    }
}

fn cat_bit(c: Categorie) -> u8 {
    match c {
        Categorie::ActionsFormation => 1,
        Categorie::BilansCompetences => 2,
        Categorie::Vae => 4,
        Categorie::Apprentissage => 8,
    }
}

fn intern(map: &mut HashMap<String, u16>, codes: &mut Vec<String>, code: Option<&str>) -> u16 {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else { return 0 };
    if let Some(&id) = map.get(code) {
        return id;
    }
    codes.push(code.to_string());
    let id = (codes.len() - 1) as u16;
    map.insert(code.to_string(), id);
    id
}

/// Collects every matching document with its score, as (ord, score). Holds the document →
/// `ord` table of each segment: a fast-field read per match cost more than the scoring.
struct AllScores<'a>(&'a [Arc<[u32]>]);
struct SegmentAll {
    ords: Arc<[u32]>,
    out: Vec<(u32, f32)>,
}

impl Collector for AllScores<'_> {
    type Fruit = Vec<(u32, f32)>;
    type Child = SegmentAll;
    fn for_segment(&self, seg: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<SegmentAll> {
        let ords = self.0.get(seg as usize).cloned().unwrap_or_else(|| Arc::from(Vec::new()));
        Ok(SegmentAll { ords, out: Vec::new() })
    }
    fn requires_scoring(&self) -> bool {
        true
    }
    fn merge_fruits(&self, fruits: Vec<Vec<(u32, f32)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentAll {
    type Fruit = Vec<(u32, f32)>;
    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(&ord) = self.ords.get(doc as usize) {
            self.out.push((ord, score));
        }
    }
    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// Providers taken from the in-memory tables (a topic, an identifier) as a tantivy query with a
/// constant score, so that they combine with the text clauses under the same boolean rules.
#[derive(Clone)]
struct DocList {
    segments: Arc<[SegmentId]>,
    /// Sorted tantivy documents, per segment in `segments` order.
    docs: Vec<Arc<[DocId]>>,
    score: Score,
}

impl std::fmt::Debug for DocList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: usize = self.docs.iter().map(|d| d.len()).sum();
        f.debug_struct("DocList").field("documents", &n).field("score", &self.score).finish()
    }
}

impl Query for DocList {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for DocList {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let id = reader.segment_id();
        let docs = match self.segments.iter().position(|s| *s == id) {
            Some(i) => self.docs[i].clone(),
            None => Arc::from(Vec::new()),
        };
        Ok(Box::new(ListScorer { docs, at: 0, score: self.score * boost }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} is not in the list")));
        }
        Ok(Explanation::new("in-memory list", scorer.score()))
    }
}

struct ListScorer {
    docs: Arc<[DocId]>,
    at: usize,
    score: Score,
}

impl DocSet for ListScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            // Intersections seek far ahead in long lists: binary search the rest.
            self.at += self.docs[self.at..].partition_point(|&d| d < target);
        }
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        self.docs.len().saturating_sub(self.at) as u32
    }
}

impl Scorer for ListScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

/// BM25's rarity weight of something `n` of `total` providers have: a topic or identifier match
/// weighs like a term match of the same rarity would.
fn idf(n: usize, total: usize) -> f32 {
    let (n, total) = (n as f32, total as f32);
    (1.0 + (total - n + 0.5) / (n + 0.5)).ln()
}

/// An identifier typed as digits (NDA, SIRET, SIREN), as one integer keeping its length, so that
/// leading zeros still count.
fn ident_key(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 17 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(((s.len() as u64) << 57) | s.parse::<u64>().ok()?)
}

/// What a request means once read.
struct Plan {
    terms: Vec<String>,
    texte: String,
    place: Option<Place>,
    center: Option<(f64, f64)>,
    radius: Option<f64>,
    dept: Option<String>,
    region: Option<String>,
    /// When the place was read from the text: the plan that reads it all as text, used if the
    /// place reading finds nothing ("dupont orange" where Orange is a town but also a name).
    all_text: Option<Box<Plan>>,
    /// Whether a text finding nothing with every word may settle for any word. Not for the
    /// all-text reading of a place: a name that does not exist is no reason to drop the place.
    any_word: bool,
}

/// A query word as the reranker weighs it.
struct QueryTerm<'a> {
    text: &'a str,
    /// Generic words and legal forms count less.
    weight: f32,
    /// Typos looked for between it and a name word.
    budget: u8,
    last: bool,
}

/// A document that passed the filters.
#[derive(Clone, Copy)]
struct Row {
    ord: u32,
    score: f32,
    dist: f64,
}

impl Counts {
    fn empty(depts: usize, regions: usize) -> Counts {
        Counts {
            total: 0,
            topics: [0; 28],
            by_mask: [0; 16],
            depts: vec![0; depts],
            regions: vec![0; regions],
        }
    }

    fn add(&mut self, a: Attr) {
        self.total += 1;
        let mut t = a.topics();
        while t != 0 {
            self.topics[t.trailing_zeros() as usize] += 1;
            t &= t - 1;
        }
        self.by_mask[a.cats() as usize & 15] += 1;
        self.depts[a.dept as usize] += 1;
        self.regions[a.region as usize] += 1;
    }
}

fn boxed(q: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(q), boost))
}

fn term_q(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    boxed(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs), boost)
}

fn fmt_km(r: f64) -> String {
    if (r - r.round()).abs() < 1e-9 { format!("{r:.0}") } else { format!("{r:.1}") }
}

impl SearchIndex {
    /// Build an index from `docs` into `dir`, atomically replacing any previous one.
    pub fn build(dir: &Path, docs: impl IntoIterator<Item = SearchDoc>) -> Result<(), SearchError> {
        store::build(dir, docs, &IndexSource::default())
    }

    /// Build, recording where the documents came from (the store's snapshot) in the manifest.
    pub fn build_from(
        dir: &Path,
        docs: impl IntoIterator<Item = SearchDoc>,
        source: &IndexSource,
    ) -> Result<(), SearchError> {
        store::build(dir, docs, source)
    }

    /// What the index at `dir` was built from, read from its manifest without opening it.
    pub fn source_at(dir: &Path) -> Result<IndexSource, SearchError> {
        store::source_at(dir)
    }

    /// What this index was built from.
    pub fn source(&self) -> &IndexSource {
        &self.source
    }

    /// Open the index in `dir`, resolving places with `annuaire-geo`.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        Self::open_with(dir, Box::new(GeoResolver))
    }

    /// Open with another place resolver (tests use a fixed gazetteer).
    pub fn open_with(dir: &Path, resolver: Box<dyn PlaceResolver>) -> Result<SearchIndex, SearchError> {
        let (index, docs, source) = store::open(dir)?;
        Self::from_parts(index, docs, source, resolver)
    }

    fn from_parts(
        index: Index,
        docs: Vec<SearchDoc>,
        source: IndexSource,
        resolver: Box<dyn PlaceResolver>,
    ) -> Result<Self, SearchError> {
        let (_, f) = store::schema();
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let n = docs.len();
        let mut s = SearchIndex {
            searcher,
            f,
            name_terms: Vec::with_capacity(n),
            display_terms: HashMap::new(),
            city_terms: Vec::with_capacity(n),
            attrs: Vec::with_capacity(n),
            pos: Vec::with_capacity(n),
            seg_ords: Vec::new(),
            segment_ids: Arc::from(Vec::new()),
            locations: Vec::new(),
            topic_docs: Vec::new(),
            idents: Vec::new(),
            dept_codes: vec![String::new()],
            region_codes: vec![String::new()],
            dept_labels: Vec::new(),
            region_labels: Vec::new(),
            name_rank: vec![0; n],
            raw_len: docs.iter().map(|d| analysis::words(&d.nom_affichage).len().min(255) as u8).collect(),
            grid: HashMap::new(),
            by_dept: Vec::new(),
            by_region: Vec::new(),
            by_cat: Default::default(),
            by_topic: Vec::new(),
            certified: Vec::new(),
            by_name: Vec::new(),
            browse_all: [Counts::empty(0, 0), Counts::empty(0, 0)],
            name_df: HashMap::new(),
            city_vocab: HashSet::new(),
            words: Vec::new(),
            arena: String::new(),
            short: HashMap::new(),
            resolver,
            docs: Vec::new(),
            source,
        };
        let (mut dmap, mut rmap) = (HashMap::new(), HashMap::new());
        for d in &docs {
            let p = store::prepare(d);
            for t in &p.name_terms {
                match s.name_df.get_mut(t.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        s.name_df.insert(t.as_str().into(), 1);
                    }
                }
            }
            for t in &p.city_terms {
                if !s.city_vocab.contains(t.as_str()) {
                    s.city_vocab.insert(t.as_str().into());
                }
            }
            let display = analysis::terms(&d.nom_affichage);
            let in_order = p.name_terms.iter().filter(|t| display.contains(t)).eq(display.iter());
            if !in_order {
                let ord = s.name_terms.len() as u32;
                s.display_terms.insert(ord, display.into_iter().map(String::into_boxed_str).collect());
            }
            s.name_terms.push(p.name_terms.into_iter().map(String::into_boxed_str).collect());
            s.city_terms.push(p.city_terms.into_iter().map(String::into_boxed_str).collect());
            // Only a commune or postal-code position is a position; a department or region
            // centroid would put providers at places they are not.
            let precise = matches!(d.precision_geo.as_str(), "commune" | "code_postal");
            s.pos.push(match (d.lat, d.lon) {
                (Some(la), Some(lo)) if precise && la.is_finite() && lo.is_finite() => (la, lo),
                _ => (f64::NAN, f64::NAN),
            });
            let cats = d.categories.iter().fold(0u32, |m, c| m | u32::from(cat_bit(*c)));
            s.attrs.push(Attr {
                bits: (p.topics & TOPIC_BITS) | (cats << 28),
                dept: intern(&mut dmap, &mut s.dept_codes, d.departement.as_deref()),
                region: intern(&mut rmap, &mut s.region_codes, d.region.as_deref()),
            });
            let ord = s.attrs.len() as u32 - 1;
            for id in [Some(&d.nda), d.siret.as_ref(), d.siren.as_ref()].into_iter().flatten() {
                if let Some(k) = ident_key(id) {
                    s.idents.push((k, ord));
                }
            }
        }
        s.dept_labels =
            s.dept_codes.iter().map(|c| places::nom_departement(c).unwrap_or_else(|| c.clone())).collect();
        s.region_labels =
            s.region_codes.iter().map(|c| places::nom_region(c).unwrap_or_else(|| c.clone())).collect();
        s.idents.sort_unstable();
        s.idents.dedup();
        s.by_dept = vec![Vec::new(); s.dept_codes.len()];
        s.by_region = vec![Vec::new(); s.region_codes.len()];
        for (ord, a) in s.attrs.iter().enumerate() {
            s.by_dept[a.dept as usize].push(ord as u32);
            s.by_region[a.region as usize].push(ord as u32);
            let (lat, lon) = s.pos[ord];
            if !lat.is_nan() {
                s.grid.entry(cell(lat, lon)).or_default().push(ord as u32);
            }
        }
        s.map_segments()?;
        let folded: Vec<String> = docs.iter().map(|d| analysis::fold(&d.nom_affichage)).collect();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|&a, &b| folded[a as usize].cmp(&folded[b as usize]).then(a.cmp(&b)));
        for (rank, &ord) in order.iter().enumerate() {
            s.name_rank[ord as usize] = rank as u32;
        }
        s.by_name = order;
        s.by_topic = vec![Vec::new(); lexicon::lexicon().thematiques.len()];
        let mut all = [
            Counts::empty(s.dept_codes.len(), s.region_codes.len()),
            Counts::empty(s.dept_codes.len(), s.region_codes.len()),
        ];
        for (ord, a) in s.attrs.iter().enumerate() {
            let ord = ord as u32;
            for (i, list) in s.by_cat.iter_mut().enumerate() {
                if a.cats() & (1 << i) != 0 {
                    list.push(ord);
                }
            }
            let mut t = a.topics();
            while t != 0 {
                s.by_topic[t.trailing_zeros() as usize].push(ord);
                t &= t - 1;
            }
            if a.cats() != 0 {
                s.certified.push(ord);
                all[0].add(*a);
            }
            all[1].add(*a);
        }
        s.browse_all = all;
        let mut entries: Vec<(&str, u8, u8, u32, u32)> = Vec::new();
        for (ord, terms) in s.name_terms.iter().enumerate() {
            if s.attrs[ord].cats() == 0 {
                continue;
            }
            for (pos, t) in terms.iter().enumerate() {
                if t.len() < 256 {
                    entries.push((
                        t,
                        pos.min(255) as u8,
                        terms.len().min(255) as u8,
                        s.name_rank[ord],
                        ord as u32,
                    ));
                }
            }
        }
        entries.sort_unstable();
        let mut arena = String::new();
        let mut words = Vec::with_capacity(entries.len());
        let mut last: Option<(&str, u32)> = None;
        for (w, pos, nlen, rank, ord) in entries {
            // Consecutive entries share their word: store it once.
            let start = match last {
                Some((lw, start)) if lw == w => start,
                _ => {
                    let start = arena.len() as u32;
                    arena.push_str(w);
                    last = Some((w, start));
                    start
                }
            };
            words.push(WordEntry { start, len: w.len() as u8, pos, nlen, rank, ord });
        }
        s.words = words;
        s.arena = arena;
        s.short = s.short_prefixes();
        s.docs = docs;
        Ok(s)
    }

    /// Read each segment's document → `ord` table and lay the topics out per segment.
    fn map_segments(&mut self) -> Result<(), SearchError> {
        let topics = lexicon::lexicon().thematiques.len();
        let mut ids = Vec::new();
        self.locations = vec![(u32::MAX, 0); self.attrs.len()];
        let mut per_topic: Vec<Vec<Arc<[DocId]>>> = vec![Vec::new(); topics];
        for reader in self.searcher.segment_readers() {
            let column = reader.fast_fields().u64("ord")?;
            let mut ords = Vec::with_capacity(reader.max_doc() as usize);
            let mut lists: Vec<Vec<DocId>> = vec![Vec::new(); topics];
            for doc in 0..reader.max_doc() {
                let ord = column.first(doc).map_or(u32::MAX, |o| o as u32);
                ords.push(ord);
                if let Some(l) = self.locations.get_mut(ord as usize) {
                    *l = (ids.len() as u32, doc);
                }
                let mut t = self.attrs.get(ord as usize).map_or(0, |a| a.topics());
                while t != 0 {
                    lists[t.trailing_zeros() as usize].push(doc);
                    t &= t - 1;
                }
            }
            for (i, l) in lists.into_iter().enumerate() {
                per_topic[i].push(Arc::from(l));
            }
            self.seg_ords.push(Arc::from(ords));
            ids.push(reader.segment_id());
        }
        self.segment_ids = Arc::from(ids);
        self.topic_docs = per_topic;
        Ok(())
    }

    /// Providers of a topic, as a clause.
    fn topic_q(&self, topic: usize, boost: f32) -> Box<dyn Query> {
        let n = self.by_topic.get(topic).map_or(0, Vec::len);
        Box::new(DocList {
            segments: self.segment_ids.clone(),
            docs: self.topic_docs.get(topic).cloned().unwrap_or_default(),
            score: boost * idf(n, self.docs.len().max(1)),
        })
    }

    /// Providers whose NDA, SIRET or SIREN is these digits, as a clause.
    fn ident_q(&self, digits: &str, boost: f32) -> Option<Box<dyn Query>> {
        let key = ident_key(digits)?;
        let lo = self.idents.partition_point(|e| e.0 < key);
        let hits = &self.idents[lo..lo + self.idents[lo..].partition_point(|e| e.0 == key)];
        if hits.is_empty() {
            return None;
        }
        let mut docs: Vec<Vec<DocId>> = vec![Vec::new(); self.segment_ids.len()];
        for &(_, ord) in hits {
            if let Some(&(seg, doc)) = self.locations.get(ord as usize)
                && let Some(d) = docs.get_mut(seg as usize)
            {
                d.push(doc);
            }
        }
        Some(Box::new(DocList {
            segments: self.segment_ids.clone(),
            docs: docs
                .into_iter()
                .map(|mut d| {
                    d.sort_unstable();
                    Arc::from(d)
                })
                .collect(),
            score: boost * idf(hits.len(), self.docs.len().max(1)),
        }))
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    fn word(&self, e: &WordEntry) -> &str {
        &self.arena[e.start as usize..e.start as usize + e.len as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The indexed document with this NDA.
    pub fn document(&self, nda: &str) -> Option<&SearchDoc> {
        self.docs.binary_search_by(|d| d.nda.as_str().cmp(nda)).ok().map(|i| &self.docs[i])
    }

    // ----- interpretation -------------------------------------------------------------------

    /// A place written at the end of the words, as (place, number of words it takes).
    fn place_in_text(&self, words: &[String]) -> Option<(Place, usize)> {
        let lex = lexicon::lexicon();
        for n in (1..=words.len().min(MAX_PLACE_WORDS)).rev() {
            let tail = &words[words.len() - n..];
            if analysis::is_stop_word(&tail[0]) || CONNECTORS.contains(&tail[0].as_str()) {
                continue;
            }
            // A topic or generic word is what people search for, even when a village bears it.
            if n == 1 && (analysis::is_generic(&tail[0]) || lex.expansions.contains_key(tail[0].as_str())) {
                continue;
            }
            if let Some(p) = self.resolver.exact(&tail.join(" ")) {
                return Some((p, n));
            }
        }
        None
    }

    /// Whether some provider's name alone contains every significant term (so "Lycée
    /// Saint-Étienne" is a name, not a text plus a place). With `whole`, the name must also have
    /// no other word than those typed (legal forms aside): "Institut de Formation de Marseille"
    /// is a name, but in the whole country some name always holds "formation" and "lyon",
    /// and "formation lyon" still means the place.
    fn some_name_has_all(&self, terms: &[String], whole: bool) -> Result<bool, SearchError> {
        let q = self.text_query(terms, true, true, false, false);
        if !whole {
            return Ok(self.searcher.search(&*q, &Count)? > 0);
        }
        let stems: Vec<String> = terms.iter().map(|t| analysis::stem(t)).collect();
        let found = self.searcher.search(&*q, &AllScores(&self.seg_ords))?;
        Ok(found.iter().any(|&(ord, _)| {
            self.name_terms[ord as usize]
                .iter()
                .filter(|n| !analysis::is_legal_form(n))
                .all(|n| terms.iter().any(|t| t.as_str() == n.as_ref()) || stems.contains(&analysis::stem(n)))
        }))
    }

    fn interpret(&self, q: &SearchQuery) -> Result<Plan, SearchError> {
        if let Some(r) = q.rayon_km
            && !(r.is_finite() && r > 0.0 && r <= 1000.0)
        {
            return Err(SearchError::Invalid(format!("rayon invalide : {r} km (entre 0 et 1000)")));
        }
        let words = analysis::words(&q.text);
        let mut plan = Plan {
            terms: Vec::new(),
            texte: q.text.split_whitespace().collect::<Vec<_>>().join(" "),
            place: None,
            center: None,
            radius: None,
            dept: q.departement.clone(),
            region: q.region.clone(),
            all_text: None,
            any_word: true,
        };
        let mut text_words = words.clone();
        match (q.lat, q.lon) {
            (Some(lat), Some(lon)) => {
                if !(lat.is_finite()
                    && lon.is_finite()
                    && (-90.0..=90.0).contains(&lat)
                    && (-180.0..=180.0).contains(&lon))
                {
                    return Err(SearchError::Invalid(format!("coordonnées invalides : {lat}, {lon}")));
                }
                plan.center = Some((lat, lon));
                plan.radius = Some(q.rayon_km.unwrap_or(DEFAULT_POINT_RADIUS_KM));
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(SearchError::Invalid("il faut la latitude et la longitude".to_string()));
            }
            (None, None) => {
                if let Some(lieu) = q.lieu.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                    let p = self
                        .resolver
                        .best(lieu)
                        .ok_or_else(|| SearchError::Invalid(format!("lieu inconnu : « {lieu} »")))?;
                    plan.place = Some(p);
                } else if let Some((p, n)) = self.place_in_text(&words) {
                    let mut rest = words[..words.len() - n].to_vec();
                    while rest.last().is_some_and(|w| CONNECTORS.contains(&w.as_str())) {
                        rest.pop();
                    }
                    let all_terms: Vec<String> =
                        words.iter().filter(|w| !analysis::is_stop_word(w)).cloned().collect();
                    // When a name holds every word, place words included, people typed a name;
                    // when the other words only say "training" ("centre de formation"), only
                    // if they name it whole.
                    let only_generic =
                        rest.iter().all(|w| analysis::is_generic(w) || analysis::is_stop_word(w));
                    let is_name = !rest.is_empty() && self.some_name_has_all(&all_terms, only_generic)?;
                    if !is_name {
                        plan.all_text = Some(Box::new(Plan {
                            terms: all_terms,
                            texte: plan.texte.clone(),
                            place: None,
                            center: None,
                            radius: None,
                            dept: plan.dept.clone(),
                            region: plan.region.clone(),
                            all_text: None,
                            any_word: false,
                        }));
                        plan.texte = strip_generic_head(&cut_original(&q.text, rest.len()));
                        text_words = rest;
                        plan.place = Some(p);
                    }
                }
            }
        }
        if let Some(p) = &plan.place {
            match (places::default_radius_km(p), q.rayon_km) {
                (_, Some(r)) => {
                    plan.center = Some((p.lat, p.lon));
                    plan.radius = Some(r);
                }
                (Some(r), None) => {
                    plan.center = Some((p.lat, p.lon));
                    plan.radius = Some(r);
                }
                (None, None) => match p.kind {
                    PlaceKind::Region => {
                        plan.region.get_or_insert_with(|| p.code.clone());
                    }
                    _ => {
                        plan.dept.get_or_insert_with(|| p.code.clone());
                    }
                },
            }
        }
        plan.terms = text_words.into_iter().filter(|w| !analysis::is_stop_word(w)).collect();
        // "formation toulouse": every provider here is about training; around a place, words
        // that only say so would just hide those whose name lacks them.
        if (plan.center.is_some() || plan.place.is_some())
            && plan.terms.iter().all(|t| analysis::is_generic(t))
        {
            plan.terms.clear();
        }
        if plan.terms.is_empty() {
            plan.texte.clear();
        }
        Ok(plan)
    }

    // ----- text -----------------------------------------------------------------------------

    /// The tantivy query for `terms`. Each term becomes a disjunction of the ways it can match
    /// (exact name word, stem, prefix if last, typo, city, topic, synonyms); significant terms are
    /// required (`conjunctive`), generic words and legal forms only add score. `name_only` keeps
    /// the name-field clauses, to test whether a name contains everything.
    fn text_query(
        &self,
        terms: &[String],
        name_only: bool,
        conjunctive: bool,
        relaxed: bool,
        topics_outside: bool,
    ) -> Box<dyn Query> {
        let f = self.f;
        let lex = lexicon::lexicon();
        let any_significant = terms.iter().any(|t| !analysis::is_generic(t) && !analysis::is_legal_form(t));
        let mut top: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Multi-word topic phrases and synonyms ("ressources humaines", "hygiène alimentaire"):
        // a provider of the phrase's topic satisfies each of its words, so that the phrase finds
        // the topic even when every word is also required.
        let mut phrases: Vec<Vec<Box<dyn Query>>> = (0..terms.len()).map(|_| Vec::new()).collect();
        if !name_only {
            for k in 2..=lex.max_phrase.min(terms.len()) {
                for (start, w) in terms.windows(k).enumerate() {
                    let Some(e) = lex.expansions.get(w.join(" ").as_str()) else { continue };
                    for alts in &mut phrases[start..start + k] {
                        // Shared among its words, the phrase weighs what one word would.
                        let share = 1.0 / k as f32;
                        for &topic in &e.topics {
                            alts.push(self.topic_q(topic, 2.0 * share));
                        }
                        for eq in &e.equivalents {
                            alts.push(Box::new(BoostQuery::new(self.phrase_q(eq), share)));
                        }
                    }
                }
            }
        }
        for (i, (t, alts)) in terms.iter().zip(phrases).enumerate() {
            let last = i + 1 == terms.len();
            let stem = analysis::stem(t);
            let budget = if relaxed { analysis::relaxed_typo_budget(t) } else { analysis::typo_budget(t) };
            let mut c: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, term_q(f.name, t, 3.0)), (Occur::Should, term_q(f.stem, &stem, 1.5))];
            c.extend(alts.into_iter().map(|q| (Occur::Should, q)));
            // The last word may be unfinished; so may an unknown word before a city
            // ("roger ser rouen"): both also match as prefixes.
            let unknown = !self.name_df.contains_key(t.as_str()) && !self.city_vocab.contains(t.as_str());
            // A word already in many names is taken as finished: expanding "informatique" as a
            // prefix walks the dictionary for nothing the stem does not already find.
            let frequent = self.name_df.get(t.as_str()).is_some_and(|&n| n >= FREQUENT_WORD);
            if (last && t.len() >= 2 && !frequent) || (unknown && t.len() >= 3) {
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(f.name, t), 0, false);
                c.push((Occur::Should, boxed(q, 2.0)));
            }
            // A word found in many names is what was meant, not a typo: its fuzzy expansion
            // would only add thousands of near-homonyms at a high cost. So is a word of the
            // lexicon ("compta", "toeic"): its synonyms are its expansion.
            let expansion = lex.expansions.get(t.as_str());
            if budget > 0 && !frequent && expansion.is_none() {
                let q = FuzzyTermQuery::new(Term::from_field_text(f.name, t), budget, true);
                c.push((Occur::Should, boxed(q, 2.0)));
            }
            if !name_only {
                c.push((Occur::Should, term_q(f.city, t, 1.0)));
                if last && unknown && t.len() >= 3 {
                    let q = FuzzyTermQuery::new_prefix(Term::from_field_text(f.city, t), 0, false);
                    c.push((Occur::Should, boxed(q, 0.5)));
                }
                // Only a word that is neither a name word nor a city nor a lexicon word can be a
                // misspelt city ("dupont marseile"); walking the city dictionary for every
                // other word cost a third of a text search.
                if budget > 0 && unknown && expansion.is_none() {
                    let q = FuzzyTermQuery::new(Term::from_field_text(f.city, t), budget, true);
                    c.push((Occur::Should, boxed(q, 0.5)));
                }
                // A topic word's specialities are its topic's: the topic clause already finds
                // them, and a second union over the same thousands of providers doubles the cost.
                if expansion.is_none_or(|e| e.topics.is_empty()) {
                    c.push((Occur::Should, term_q(f.spec, &stem, 0.5)));
                }
                if let Some(q) = self.ident_q(t, 20.0) {
                    c.push((Occur::Should, q));
                }
                if let Some(e) = expansion {
                    for &topic in e.topics.iter().filter(|_| !topics_outside) {
                        c.push((Occur::Should, self.topic_q(topic, TOPIC_BOOST)));
                    }
                    for eq in &e.equivalents {
                        c.push((Occur::Should, self.phrase_q(eq)));
                    }
                }
            }
            // The name-only test asks for every word, generic ones included.
            let weak = analysis::is_generic(t) || analysis::is_legal_form(t);
            let required = conjunctive && (name_only || !any_significant || !weak);
            top.push((if required { Occur::Must } else { Occur::Should }, Box::new(BooleanQuery::new(c))));
        }
        Box::new(BooleanQuery::new(top))
    }

    /// An equivalent phrase: all of its words, in names or specialities.
    fn phrase_q(&self, words: &[String]) -> Box<dyn Query> {
        let f = self.f;
        let per_word = |w: &String| -> Box<dyn Query> {
            let s = analysis::stem(w);
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, term_q(f.name, w, 1.5)),
                (Occur::Should, term_q(f.stem, &s, 1.0)),
                (Occur::Should, term_q(f.spec, &s, 0.5)),
            ]))
        };
        if words.len() == 1 {
            return per_word(&words[0]);
        }
        Box::new(BooleanQuery::new(words.iter().map(|w| (Occur::Must, per_word(w))).collect()))
    }

    /// Text candidates with scores: every word first, then relaxations when that finds nothing.
    fn candidates(&self, terms: &[String], any_word: bool) -> Result<Vec<(u32, f32)>, SearchError> {
        // A single topic word ("informatique", "anglais"): its topic's providers are merged here
        // with what tantivy finds for the word, rather than through a union with thousands of
        // postings inside tantivy. The scores are the same sums, for half the time.
        let lex = lexicon::lexicon();
        let single_topic = match terms {
            [t] => lex.expansions.get(t.as_str()).map(|e| e.topics.as_slice()).filter(|t| !t.is_empty()),
            _ => None,
        };
        let mut c = self.searcher.search(
            &*self.text_query(terms, false, true, false, single_topic.is_some()),
            &AllScores(&self.seg_ords),
        )?;
        if let Some(topics) = single_topic {
            c = self.merge_topics(c, topics);
        }
        // Nothing has every word: allow one typo in 4-letter words too ("jcob" for "jacob"), and
        // only then settle for any word.
        if c.is_empty() && terms.iter().any(|t| analysis::relaxed_typo_budget(t) > analysis::typo_budget(t)) {
            c = self
                .searcher
                .search(&*self.text_query(terms, false, true, true, false), &AllScores(&self.seg_ords))?;
        }
        if c.is_empty() && any_word && terms.len() > 1 {
            c = self
                .searcher
                .search(&*self.text_query(terms, false, false, true, false), &AllScores(&self.seg_ords))?;
        }
        Ok(c)
    }

    /// Add the providers of `topics` to text candidates, each topic scoring what its clause
    /// would inside the query.
    fn merge_topics(&self, mut c: Vec<(u32, f32)>, topics: &[usize]) -> Vec<(u32, f32)> {
        if !c.is_sorted_by_key(|x| x.0) {
            c.sort_unstable_by_key(|x| x.0);
        }
        let total = self.docs.len().max(1);
        for &t in topics {
            let Some(members) = self.by_topic.get(t) else { continue };
            let score = TOPIC_BOOST * idf(members.len(), total);
            let mut out = Vec::with_capacity(c.len() + members.len());
            let mut a = c.into_iter().peekable();
            for &ord in members {
                while let Some(x) = a.next_if(|x| x.0 < ord) {
                    out.push(x);
                }
                match a.next_if(|x| x.0 == ord) {
                    Some((o, s)) => out.push((o, s + score)),
                    None => out.push((ord, score)),
                }
            }
            out.extend(a);
            c = out;
        }
        c
    }

    /// Normalise scores to 0–BASE_SCALE and add a name-matching bonus to the best candidates: how much
    /// of the query the name covers (exact words above typos), how much of the name the query
    /// covers (so "Dupont Formation" beats "Dupont Formation Conseil Sud" for "dupont formation").
    /// Runs on the candidates that passed the filters: around a place, the best of the whole
    /// country by BM25 would be others than those shown.
    fn rerank(&self, terms: &[String], c: &mut [Row]) {
        let max = c.iter().map(|x| x.score).fold(0.0f32, f32::max);
        if max <= 0.0 {
            return;
        }
        // BM25 brings word rarity; the name-matching bonus below, more precise, dominates.
        for x in c.iter_mut() {
            x.score = BASE_SCALE * x.score / max;
        }
        let by_score = |a: &Row, b: &Row| b.score.total_cmp(&a.score).then(a.ord.cmp(&b.ord));
        let top = if c.len() > RERANK {
            c.select_nth_unstable_by(RERANK - 1, by_score);
            &mut c[..RERANK]
        } else {
            &mut c[..]
        };
        let terms: Vec<QueryTerm> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| QueryTerm {
                text: t,
                weight: if analysis::is_generic(t) || analysis::is_legal_form(t) { 0.3 } else { 1.0 },
                // A word in many names was typed as meant, as in `text_query`: no typo to look for.
                budget: if self.name_df.get(t.as_str()).is_some_and(|&n| n >= FREQUENT_WORD) {
                    0
                } else {
                    analysis::relaxed_typo_budget(t)
                },
                last: i + 1 == terms.len(),
            })
            .collect();
        for x in top.iter_mut() {
            let ord = x.ord as usize;
            let mut bonus = self.name_bonus(&terms, ord, &self.name_terms[ord]);
            if let Some(display) = self.display_terms.get(&x.ord) {
                bonus = bonus.max(self.name_bonus(&terms, ord, display));
            }
            x.score += bonus;
        }
    }

    fn name_bonus(&self, terms: &[QueryTerm], ord: usize, name: &[Box<str>]) -> f32 {
        let city = &self.city_terms[ord];
        let mut used = 0u64;
        let (mut qsum, mut qgot) = (0.0f32, 0.0f32);
        let mut exact_all = true;
        // Name position matched by each query term, to reward the name's own word order.
        let mut at = [usize::MAX; 16];
        for (i, q) in terms.iter().enumerate() {
            let (t, w, last, budget) = (q.text, q.weight, q.last, q.budget);
            qsum += w;
            // An exact word settles it without computing a typo distance to every other word.
            let mut best = match name.iter().position(|n| n.as_ref() == t) {
                Some(j) => (1.0f32, j),
                None => (0.0f32, usize::MAX),
            };
            let exact = best.0 == 1.0;
            for (j, n) in name.iter().enumerate().filter(|_| !exact) {
                let n = n.as_ref();
                let m = if t.len() >= 3 && n.starts_with(t) {
                    if last { 0.8 } else { 0.75 }
                } else if budget > 0 && n.len().abs_diff(t.len()) <= budget as usize {
                    // `distance_within` answers budget + 1 for "too far".
                    match analysis::distance_within(t, n, budget) {
                        d if d > budget => 0.0,
                        1 => 0.7,
                        _ => 0.55,
                    }
                } else {
                    0.0
                };
                if m > best.0 {
                    best = (m, j);
                }
            }
            if best.0 > 0.0 {
                qgot += w * best.0;
                if best.1 < 64 {
                    used |= 1 << best.1;
                }
                if i < at.len() {
                    at[i] = best.1;
                }
                if best.0 < 1.0 {
                    exact_all = false;
                }
            } else if city.iter().any(|c| c.as_ref() == t) {
                // The city typed after a name counts as fully as a name word.
                qgot += w;
            } else if last && t.len() >= 3 && city.iter().any(|c| c.starts_with(t)) {
                qgot += w * 0.8;
            } else {
                exact_all = false;
            }
        }
        let (mut significant, mut covered) = (0usize, 0usize);
        for (j, n) in name.iter().enumerate().take(64) {
            if !analysis::is_legal_form(n) {
                significant += 1;
                covered += usize::from(used & (1 << j) != 0);
            }
        }
        let dcov = if significant == 0 { 0.0 } else { covered as f32 / significant as f32 };
        let qcov = if qsum > 0.0 { qgot / qsum } else { 0.0 };
        let exact = if exact_all && covered == significant { 2.0 } else { 0.0 };
        let n = terms.len().min(at.len());
        let adjacent = (1..n).filter(|&i| at[i - 1] != usize::MAX && at[i] == at[i - 1] + 1).count();
        let order = if n > 1 { adjacent as f32 / (n - 1) as f32 } else { 0.0 };
        let starts = if at[0] == 0 { 0.5 } else { 0.0 };
        // The query reads like the name: its name-matched words are the name's first words, in
        // order ("avenir academie paris" is "Avenir Académie" in Paris more than "Académie Avenir
        // Paris").
        let mut matched = at[..n].iter().copied().filter(|&p| p != usize::MAX).peekable();
        let in_sequence = matched.peek().is_some() && matched.enumerate().all(|(k, p)| p == k);
        let sequence = if in_sequence && covered == significant { 1.5 } else { 0.0 };
        // Among otherwise equal names, the shorter one ("Roux Nicolas" before "Le Roux Nicolas").
        let length = 0.02 * f32::from(self.raw_len[ord]);
        6.0 * qcov + 3.0 * dcov + exact + 2.0 * order + starts + sequence - length
    }

    // ----- search ---------------------------------------------------------------------------

    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let mut plan = self.interpret(q)?;
        let fallback = plan.all_text.take();
        let results = self.run(q, &plan)?;
        if let Some(all_text) = fallback
            && results.total == 0
        {
            let other = self.run(q, &all_text)?;
            if other.total > 0 {
                return Ok(other);
            }
        }
        Ok(results)
    }

    fn run(&self, q: &SearchQuery, plan: &Plan) -> Result<SearchResults, SearchError> {
        let par_page = q.par_page.clamp(1, MAX_PAR_PAGE);
        let page = q.page.max(1);

        let mut cat_mask = 0u8;
        for c in &q.categories {
            cat_mask |= cat_bit(*c);
        }
        let mut topic_mask = 0u32;
        for slug in &q.thematiques {
            let i = lexicon::topic_index(slug.trim()).ok_or_else(|| {
                let all: Vec<&str> = lexicon::thematiques().iter().map(|t| t.slug).collect();
                SearchError::Invalid(format!(
                    "thématique inconnue « {slug} » ; valeurs possibles : {}",
                    all.join(", ")
                ))
            })?;
            topic_mask |= 1 << i;
        }
        // An unknown code matches nothing (u16::MAX is never assigned).
        let id_of = |codes: &[String], code: &Option<String>| -> Option<u16> {
            code.as_deref().map(|c| codes.iter().position(|x| x == c.trim()).map_or(u16::MAX, |i| i as u16))
        };
        let dept = id_of(&self.dept_codes, &plan.dept).filter(|&d| d != 0 || plan.dept.is_none());
        let region = id_of(&self.region_codes, &plan.region);
        let dept = match (dept, plan.dept.as_deref()) {
            (None, Some(_)) => Some(u16::MAX),
            (d, _) => d,
        };

        // A latitude/longitude box around the circle rejects most providers before any
        // trigonometry.
        let bbox = match (plan.center, plan.radius) {
            (Some((la, lo)), Some(r)) => {
                let dlat = r / 111.0 + 0.01;
                let cos = la.to_radians().cos();
                let dlon = if cos > 0.05 { r / (111.0 * cos) + 0.01 } else { 360.0 };
                Some((la - dlat, la + dlat, lo - dlon, lo + dlon))
            }
            _ => None,
        };
        let accept = |ord: usize| -> Option<f64> {
            let at = *self.attrs.get(ord)?;
            if let Some((a, b, c, d)) = bbox {
                let (la, lo) = self.pos[ord];
                // NaN fails these comparisons too: no precise position, never in a radius.
                if !(la >= a && la <= b && lo >= c && lo <= d) {
                    return None;
                }
            }
            if !q.inclure_non_certifies && at.cats() == 0 {
                return None;
            }
            if cat_mask != 0 && at.cats() & cat_mask == 0 {
                return None;
            }
            if topic_mask != 0 && at.topics() & topic_mask == 0 {
                return None;
            }
            if dept.is_some_and(|d| at.dept != d) || region.is_some_and(|r| at.region != r) {
                return None;
            }
            let dist = match plan.center {
                Some((la, lo)) if !self.pos[ord].0.is_nan() => {
                    places::haversine_km(la, lo, self.pos[ord].0, self.pos[ord].1)
                }
                _ => f64::NAN,
            };
            if let Some(r) = plan.radius
                && (dist.is_nan() || dist > r)
            {
                // NaN (no precise position) is never inside a radius.
                return None;
            }
            Some(dist)
        };

        let has_text = !plan.terms.is_empty();
        if !has_text && plan.center.is_none() {
            // Browsing, in name order whatever the sort asked (no text, no distance). The counts
            // come from one pass over the shortest list holding every match (or were counted at
            // open when nothing filters); the page is read by walking the names in order when
            // that is shorter than sorting the matches.
            let unfiltered = cat_mask == 0 && topic_mask == 0 && dept.is_none() && region.is_none();
            let mut ords: Vec<u32> = Vec::new();
            let counted;
            let counts = if unfiltered {
                &self.browse_all[usize::from(q.inclure_non_certifies)]
            } else {
                let mut c = Counts::empty(self.dept_codes.len(), self.region_codes.len());
                let source = self.browse_source(q.inclure_non_certifies, cat_mask, topic_mask, dept, region);
                let mut visit = |ord: u32| {
                    if accept(ord as usize).is_some() {
                        c.add(self.attrs[ord as usize]);
                        ords.push(ord);
                    }
                };
                match source {
                    Source::List(l) => l.iter().for_each(|&o| visit(o)),
                    Source::All(n) => (0..n).for_each(visit),
                }
                counted = c;
                &counted
            };
            let total = counts.total;
            let start = (page - 1).saturating_mul(par_page);
            let end = start.saturating_add(par_page).min(total);
            let n = self.docs.len().max(1);
            let page_ords: Vec<u32> = if start >= total {
                Vec::new()
            } else if unfiltered || end.saturating_mul(n) / total < total / 4 {
                self.by_name
                    .iter()
                    .copied()
                    .filter(|&o| accept(o as usize).is_some())
                    .skip(start)
                    .take(end - start)
                    .collect()
            } else {
                let rank = |o: &u32| self.name_rank[*o as usize];
                if end < ords.len() {
                    ords.select_nth_unstable_by_key(end - 1, rank);
                    ords.truncate(end);
                }
                ords.sort_unstable_by_key(rank);
                ords[start..end].to_vec()
            };
            let resultats =
                page_ords.into_iter().map(|ord| self.hit(&Row { ord, score: 0.0, dist: f64::NAN })).collect();
            let facettes = self.facettes(counts);
            return Ok(SearchResults { total, interpretation: interpretation(plan), facettes, resultats });
        }
        let mut rows: Vec<Row> = Vec::new();
        if has_text {
            let candidates = self.candidates(&plan.terms, plan.any_word)?;
            rows.reserve(candidates.len());
            for (ord, score) in candidates {
                if let Some(dist) = accept(ord as usize) {
                    rows.push(Row { ord, score, dist });
                }
            }
        } else {
            let mut scan = |ords: &mut dyn Iterator<Item = u32>| {
                for ord in ords {
                    if let Some(dist) = accept(ord as usize) {
                        rows.push(Row { ord, score: 0.0, dist });
                    }
                }
            };
            let cells = bbox.map(|(a, b, c, d)| {
                let (lo, hi) = (cell(a, c), cell(b, d));
                (lo, hi, (hi.0 - lo.0 + 1) as i64 * (hi.1 - lo.1 + 1) as i64)
            });
            match (cells, dept, region) {
                (Some((lo, hi, count)), _, _) if count <= MAX_CELLS => {
                    for i in lo.0..=hi.0 {
                        for j in lo.1..=hi.1 {
                            if let Some(v) = self.grid.get(&(i, j)) {
                                scan(&mut v.iter().copied());
                            }
                        }
                    }
                }
                (_, Some(d), _) => scan(&mut self.by_dept.get(d as usize).into_iter().flatten().copied()),
                (_, None, Some(r)) => {
                    scan(&mut self.by_region.get(r as usize).into_iter().flatten().copied())
                }
                _ => scan(&mut (0..self.docs.len() as u32)),
            }
        }
        if has_text {
            self.rerank(&plan.terms, &mut rows);
        }
        if has_text && let Some(r) = plan.radius {
            // Proximity boost: up to +30% at the centre, nothing at the edge.
            for row in rows.iter_mut().filter(|row| !row.dist.is_nan()) {
                row.score *= 1.0 + 0.3 * (1.0 - (row.dist / r).min(1.0)) as f32;
            }
        }

        let facettes = self.facets(&rows);
        let total = rows.len();

        let tri = match q.tri {
            Tri::Distance if plan.center.is_none() => Tri::Pertinence,
            t => t,
        };
        let by_dist = |a: &Row, b: &Row| {
            let da = if a.dist.is_nan() { f64::INFINITY } else { a.dist };
            let db = if b.dist.is_nan() { f64::INFINITY } else { b.dist };
            da.total_cmp(&db)
        };
        let name = |a: &Row, b: &Row| self.name_rank[a.ord as usize].cmp(&self.name_rank[b.ord as usize]);
        let cmp = |a: &Row, b: &Row| -> Ordering {
            match tri {
                Tri::Nom => name(a, b),
                Tri::Distance => {
                    by_dist(a, b).then_with(|| b.score.total_cmp(&a.score)).then_with(|| name(a, b))
                }
                Tri::Pertinence if has_text => b.score.total_cmp(&a.score).then(a.ord.cmp(&b.ord)),
                Tri::Pertinence if plan.center.is_some() => by_dist(a, b).then_with(|| name(a, b)),
                Tri::Pertinence => name(a, b),
            }
        };
        let start = (page - 1).saturating_mul(par_page);
        let end = start.saturating_add(par_page).min(total);
        let resultats = if start >= total {
            Vec::new()
        } else {
            if end < total {
                rows.select_nth_unstable_by(end - 1, cmp);
                rows.truncate(end);
            }
            rows.sort_unstable_by(cmp);
            rows[start..end].iter().map(|r| self.hit(r)).collect()
        };

        let interpretation = interpretation(plan);
        Ok(SearchResults { total, interpretation, facettes, resultats })
    }

    /// The shortest list that holds every provider these filters can accept.
    fn browse_source(
        &self,
        inclure: bool,
        cat_mask: u8,
        topic_mask: u32,
        dept: Option<u16>,
        region: Option<u16>,
    ) -> Source<'_> {
        let mut best: Option<&[u32]> = (!inclure).then_some(&self.certified[..]);
        let mut lists: Vec<&[u32]> = Vec::new();
        if let Some(d) = dept {
            lists.push(self.by_dept.get(d as usize).map_or(&[][..], |v| v));
        }
        if let Some(r) = region {
            lists.push(self.by_region.get(r as usize).map_or(&[][..], |v| v));
        }
        if cat_mask.count_ones() == 1 {
            lists.push(&self.by_cat[cat_mask.trailing_zeros() as usize]);
        }
        if topic_mask.count_ones() == 1 {
            lists.push(self.by_topic.get(topic_mask.trailing_zeros() as usize).map_or(&[][..], |v| v));
        }
        for l in lists {
            if best.is_none_or(|b| l.len() < b.len()) {
                best = Some(l);
            }
        }
        match best {
            Some(l) => Source::List(l),
            None => Source::All(self.docs.len() as u32),
        }
    }

    fn hit(&self, r: &Row) -> Hit {
        let d = &self.docs[r.ord as usize];
        let lex = lexicon::lexicon();
        let topics = self.attrs[r.ord as usize].topics();
        Hit {
            nda: d.nda.clone(),
            siret: d.siret.clone(),
            denomination: d.nom_affichage.clone(),
            commune: d.commune.clone().or_else(|| d.ville.clone()),
            code_postal: d.code_postal.clone(),
            distance_km: (!r.dist.is_nan()).then(|| (r.dist * 100.0).round() / 100.0),
            categories: d.categories.clone(),
            thematiques: (0..lex.thematiques.len())
                .filter(|i| topics & (1 << i) != 0)
                .map(|i| lex.thematiques[i].slug.to_string())
                .collect(),
            score: (r.score * 1000.0).round() / 1000.0,
        }
    }

    fn facets(&self, rows: &[Row]) -> Facettes {
        let mut c = Counts::empty(self.dept_codes.len(), self.region_codes.len());
        for r in rows {
            c.add(self.attrs[r.ord as usize]);
        }
        self.facettes(&c)
    }

    fn facettes(&self, c: &Counts) -> Facettes {
        let lex = lexicon::lexicon();
        let (topics, depts, regions) = (&c.topics, &c.depts, &c.regions);
        let mut cats = [0usize; 4];
        for (mask, n) in c.by_mask.iter().enumerate() {
            for (i, c) in cats.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *c += n;
                }
            }
        }
        fn sorted(mut v: Vec<FacetValue>) -> Vec<FacetValue> {
            v.retain(|f| f.nombre > 0);
            v.sort_by(|a, b| b.nombre.cmp(&a.nombre).then_with(|| a.valeur.cmp(&b.valeur)));
            v
        }
        let coded = |codes: &[String], labels: &[String], counts: &[usize]| {
            sorted(
                codes
                    .iter()
                    .zip(labels)
                    .zip(counts)
                    .skip(1)
                    .filter(|(_, n)| **n > 0)
                    .map(|((c, l), &n)| FacetValue { valeur: c.clone(), libelle: l.clone(), nombre: n })
                    .collect(),
            )
        };
        Facettes {
            thematiques: sorted(
                lex.thematiques
                    .iter()
                    .enumerate()
                    .map(|(i, t)| FacetValue {
                        valeur: t.slug.to_string(),
                        libelle: t.libelle.to_string(),
                        nombre: topics[i],
                    })
                    .collect(),
            ),
            categories: sorted(
                Categorie::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, c)| FacetValue {
                        valeur: c.slug().to_string(),
                        libelle: c.libelle().to_string(),
                        nombre: cats[i],
                    })
                    .collect(),
            ),
            departements: coded(&self.dept_codes, &self.dept_labels, depts),
            regions: coded(&self.region_codes, &self.region_labels, regions),
        }
    }

    // ----- autocomplete ---------------------------------------------------------------------

    /// Entries whose word starts with `prefix`: a contiguous range, as words are sorted.
    fn word_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let lo = self.words.partition_point(|e| self.word(e) < prefix);
        lo..lo + self.words[lo..].partition_point(|e| self.word(e).starts_with(prefix))
    }

    /// The best completions of every prefix of at most SHORT_PREFIX letters, as `complete`
    /// would rank them for a single word.
    fn short_prefixes(&self) -> HashMap<Box<str>, Box<[u32]>> {
        let mut prefixes: HashSet<&str> = HashSet::new();
        let mut previous = u32::MAX;
        for e in &self.words {
            // Entries of one word are consecutive and share their text.
            if e.start == previous {
                continue;
            }
            previous = e.start;
            let w = self.word(e);
            prefixes.extend((1..=SHORT_PREFIX).filter_map(|k| w.get(..k)));
        }
        prefixes.into_iter().map(|p| (p.into(), self.rank_range(p, SHORT_KEEP).into())).collect()
    }

    /// Every entry of a prefix's range ranked, providers deduplicated, the first `keep`.
    fn rank_range(&self, prefix: &str, keep: usize) -> Vec<u32> {
        let mut all: Vec<((u8, u8, u8, u32), u32)> = self.words[self.word_range(prefix)]
            .iter()
            .map(|e| ((u8::from(e.len as usize != prefix.len()), e.pos, e.nlen, e.rank), e.ord))
            .collect();
        let room = keep.saturating_mul(4).min(all.len());
        if room < all.len() && room > 0 {
            all.select_nth_unstable(room - 1);
            all.truncate(room);
        }
        all.sort_unstable();
        let mut seen = HashSet::new();
        all.into_iter().filter(|(_, o)| seen.insert(*o)).map(|(_, o)| o).take(keep).collect()
    }

    /// Providers whose name has a word starting with `last` and every word of `others`, best
    /// completions first. Reads the shorter of the ranges of `last` and of the rarest other word.
    fn complete(&self, last: &str, others: &[&String], limit: usize) -> Vec<u32> {
        let keep = limit.saturating_mul(4).min(1000);
        let has_others = |name: &[Box<str>]| {
            others.iter().all(|t| name.iter().any(|n| n.as_ref() == t.as_str() || n.starts_with(t.as_str())))
        };
        let mut heap: BinaryHeap<((u8, u8, u8, u32), u32)> = BinaryHeap::new();
        let offer = |key: (u8, u8, u8, u32), ord: u32, heap: &mut BinaryHeap<_>| {
            heap.push((key, ord));
            if heap.len() > keep {
                heap.pop();
            }
        };
        let range = self.word_range(last);
        let rarest = others.iter().map(|t| self.word_range(t)).min_by_key(|r| r.len());
        match rarest {
            Some(r) if r.len() < range.len() => {
                // "dupont f": the few providers named Dupont, rather than every word in f.
                for e in &self.words[r] {
                    let name = &self.name_terms[e.ord as usize];
                    if !has_others(name) {
                        continue;
                    }
                    let best = name
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| n.len() < 256 && n.starts_with(last))
                        .map(|(j, n)| (u8::from(n.len() != last.len()), j.min(255) as u8))
                        .min();
                    if let Some((whole, pos)) = best {
                        let key = (whole, pos, name.len().min(255) as u8, self.name_rank[e.ord as usize]);
                        offer(key, e.ord, &mut heap);
                    }
                }
            }
            _ => {
                for e in self.words[range].iter().take(SUGGEST_SCAN) {
                    let key = (u8::from(e.len as usize != last.len()), e.pos, e.nlen, e.rank);
                    if heap.len() >= keep && heap.peek().is_some_and(|top| key >= top.0) {
                        continue;
                    }
                    if !has_others(&self.name_terms[e.ord as usize]) {
                        continue;
                    }
                    offer(key, e.ord, &mut heap);
                }
            }
        }
        let mut best = heap.into_vec();
        best.sort_unstable();
        let mut seen = HashSet::new();
        best.into_iter().filter(|(_, o)| seen.insert(*o)).map(|(_, o)| o).take(limit).collect()
    }

    /// Certified providers whose name has a word starting with the last typed word and contains
    /// the previous ones. Whole-word completions come first, then names where the word comes
    /// early, then shorter names.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        // The last word is being typed: "d" may become "dupont", so it is never a stop word.
        let words = analysis::words(prefix);
        let Some((last, rest)) = words.split_last() else { return Ok(Vec::new()) };
        let others: Vec<&String> = rest.iter().filter(|w| !analysis::is_stop_word(w)).collect();
        if limit == 0 {
            return Ok(Vec::new());
        }
        let ords: Vec<u32> = match self.short.get(last.as_str()) {
            Some(best) if others.is_empty() && limit <= SHORT_KEEP => {
                best.iter().copied().take(limit).collect()
            }
            _ => self.complete(last, &others, limit),
        };
        Ok(ords
            .into_iter()
            .map(|o| {
                let d = &self.docs[o as usize];
                Suggestion {
                    nda: d.nda.clone(),
                    denomination: d.nom_affichage.clone(),
                    commune: d.commune.clone().or_else(|| d.ville.clone()),
                    code_postal: d.code_postal.clone(),
                }
            })
            .collect())
    }
}

/// The text without its leading generic and stop words, for the interpretation: « excel » rather
/// than « formation excel » (those words only weigh on the score).
fn strip_generic_head(text: &str) -> String {
    let toks: Vec<&str> = text.split_whitespace().collect();
    let skip = toks
        .iter()
        .take_while(|t| {
            let w = analysis::words(t);
            !w.is_empty() && w.iter().all(|w| analysis::is_generic(w) || analysis::is_stop_word(w))
        })
        .count();
    if skip == toks.len() { text.to_string() } else { toks[skip..].join(" ") }
}

/// The original text up to its `keep`-th analysed word, so the interpretation shows what people
/// typed ("Sécurité") rather than its folded form.
fn cut_original(text: &str, keep: usize) -> String {
    if keep == 0 {
        return String::new();
    }
    let mut count = 0;
    let mut out: Vec<&str> = Vec::new();
    for tok in text.split_whitespace() {
        out.push(tok);
        count += analysis::words(tok).len();
        if count >= keep {
            break;
        }
    }
    if count == keep { out.join(" ") } else { analysis::words(text)[..keep.min(count)].join(" ") }
}

/// "de Marseille", "d’Arles": French elides before a vowel.
fn de(nom: &str) -> String {
    let vowel = nom.chars().next().is_some_and(|c| "AEIOUYÉÈÊÂÎÔaeiouyéèêâîô".contains(c));
    if vowel { format!("d’{nom}") } else { format!("de {nom}") }
}

fn interpretation(plan: &Plan) -> Interpretation {
    let mut parts = Vec::new();
    if !plan.texte.is_empty() {
        parts.push(format!("« {} »", plan.texte));
    }
    match (&plan.place, plan.center, plan.radius) {
        (Some(p), Some(_), Some(r)) => parts.push(format!("autour {} ({} km)", de(&p.nom), fmt_km(r))),
        (None, Some((la, lo)), Some(r)) => {
            parts.push(format!("autour de {la:.4}, {lo:.4} ({} km)", fmt_km(r)))
        }
        (Some(p), _, _) if p.kind == PlaceKind::Region => parts.push(format!("dans la région {}", p.nom)),
        (Some(p), _, _) => parts.push(format!("dans le département {} ({})", p.nom, p.code)),
        _ => {}
    }
    if parts.is_empty() {
        parts.push("tous les organismes".to_string());
    }
    Interpretation {
        texte: plan.texte.clone(),
        lieu: plan.place.clone(),
        rayon_km: plan.radius,
        libelle: parts.join(" "),
    }
}
