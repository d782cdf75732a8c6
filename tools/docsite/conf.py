# Sphinx configuration of the collection's docsite (nox session `docs-site`; CONTRIBUTING.md, "The documentation
# site"). Written by `antsibull-docs sphinx-init --use-current --squash-hierarchy volcengine.cloud` 2.28.0, then
# changed so that the build needs no network and fails on every broken reference:
#
# * no intersphinx: sphinx-init's mapping downloads the inventories of docs.python.org, Jinja and docs.ansible.com
#   on every build, and a build without them warns, which -W makes an error. The pages that antsibull-docs
#   renders refer to two labels of the Ansible documentation only; ANSIBLE_DOCS_LABELS below resolves them to
#   their pages, and any other reference to a label that is not on this site stays an error;
# * nitpicky, and the session runs sphinx-build with -W --keep-going: every warning fails the build, after all
#   of them are printed.

from docutils import nodes

project = 'volcengine.cloud'
copyright = 'volcengine.cloud contributors'  # pylint: disable=redefined-builtin

title = 'volcengine.cloud collection documentation'
html_short_title = 'volcengine.cloud'

extensions = ['sphinx_antsibull_ext']

pygments_style = 'ansible'

highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
html_title = title

display_version = False

html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'

nitpicky = True

# The labels of the Ansible documentation that antsibull-docs' templates refer to: the "Common return values"
# link of every module page and the configuration link of the environment variables index.
ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'
ANSIBLE_DOCS_LABELS = {
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings',
                                       'Ansible Configuration Settings'),
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values',
                             'Return Values'),
}


def resolve_ansible_docs_label(app, env, node, contnode):  # pylint: disable=unused-argument
    """A :ref: to one of ANSIBLE_DOCS_LABELS as a link to its page on docs.ansible.com; others are left alone."""
    if node.get('refdomain') != 'std' or node.get('reftype') != 'ref':
        return None
    entry = ANSIBLE_DOCS_LABELS.get(node.get('reftarget'))
    if entry is None:
        return None
    path, label_title = entry
    text = contnode.astext() if node.get('refexplicit') else label_title
    reference = nodes.reference('', '', internal=False, refuri=ANSIBLE_DOCS + path, reftitle=label_title)
    reference += nodes.inline(text, text)
    return reference


def setup(app):
    app.connect('missing-reference', resolve_ansible_docs_label)
